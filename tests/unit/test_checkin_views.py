"""What a member sees of a check-in, what a facilitator sees of a support request, and hostile values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import ids
from bot.messages import render
from bot.views.checkin import (
    answered_message,
    checkin_message,
    choose_message,
    parse_checkin_id,
    parse_rate_value,
)
from bot.views.checkin_form import FormOrigin, checkin_modal, submitted_answer
from bot.views.errors import friendly_message
from bot.views.support import support_sent_message
from circles.domain.checkins import NOTE_MAX_CHARS, CheckInAnswer
from circles.errors import CheckInNotYours, CheckInSuperseded
from circles.services.checkins.answers import Answered, OpenCheckIn
from circles.services.checkins.opening import CheckInChoice
from circles.services.support.request import SupportSent
from tests.slack_limits import problems

CHECKIN = OpenCheckIn(42, "pgy1-spring", "PGY-1 <spring>", "U0ADA")


def shown(blocks: object) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]


def test_the_checkin_template_asks_about_the_partner_with_a_rating_in_one_tap_and_the_full_form() -> None:
    message = render(
        "checkin", {"checkin_id": 42, "cohort_name": "PGY-1 <spring>", "partner_user_id": "U0ADA"}
    )
    blocks = message.block_dicts()
    text = shown(blocks)
    assert "How is your partnership with <@U0ADA> going?" in text
    assert "PGY-1 &lt;spring&gt;" in text  # a cohort name is shown, never read as a link
    pressed = buttons(blocks)
    assert [b["value"] for b in pressed[:5]] == ["42:1", "42:2", "42:3", "42:4", "42:5"]
    assert [b["action_id"] for b in pressed[:5]] == [f"{ids.CHECKIN_RATE}_{r}" for r in range(1, 6)]
    assert [(b["action_id"], b["value"]) for b in pressed[5:]] == [
        (ids.CHECKIN_OPEN, "42"),
        (ids.CHECKIN_OPEN_SUPPORT, "42"),
    ]
    assert "I'd like support from a facilitator" in text
    assert "<@U0ADA> never sees your answers" in text


def test_the_form_asks_every_question_and_shares_nothing_unless_ticked() -> None:
    view = checkin_modal(CHECKIN, FormOrigin(42, "D0LEARN", "1.2")).to_dict()
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [
        ids.CHECKIN_RATING,
        ids.CHECKIN_MET,
        ids.CHECKIN_NOTE,
        ids.CHECKIN_SHARE,
        ids.CHECKIN_SUPPORT,
    ]
    share = inputs[ids.CHECKIN_SHARE]["element"]
    assert share["options"][0]["text"]["text"] == "Share this note with the facilitators"
    assert "initial_options" not in share  # default: not shared
    assert "initial_options" not in inputs[ids.CHECKIN_SUPPORT]["element"]
    assert inputs[ids.CHECKIN_NOTE]["element"]["max_length"] == NOTE_MAX_CHARS
    assert FormOrigin.decode(view["private_metadata"]) == FormOrigin(42, "D0LEARN", "1.2")


def test_the_support_button_opens_the_form_with_support_already_ticked() -> None:
    view = checkin_modal(CHECKIN, FormOrigin(42), wants_support=True).to_dict()
    [support] = [b for b in view["blocks"] if b.get("block_id") == ids.CHECKIN_SUPPORT]
    assert [o["value"] for o in support["element"]["initial_options"]] == ["yes"]


def form(rating: str | None = "4", met: str | None = "yes", note: str | None = None, **ticked: bool) -> Any:
    def option(value: str | None) -> dict[str, Any]:
        return {"type": "radio_buttons", "selected_option": {"value": value} if value else None}

    def box(on: bool) -> dict[str, Any]:
        return {"type": "checkboxes", "selected_options": [{"value": "yes"}] if on else []}

    return {
        ids.CHECKIN_RATING: {ids.CHECKIN_INPUT: option(rating)},
        ids.CHECKIN_MET: {ids.CHECKIN_INPUT: option(met)},
        ids.CHECKIN_NOTE: {ids.CHECKIN_INPUT: {"type": "plain_text_input", "value": note}},
        ids.CHECKIN_SHARE: {ids.CHECKIN_INPUT: box(ticked.get("share", False))},
        ids.CHECKIN_SUPPORT: {ids.CHECKIN_INPUT: box(ticked.get("support", False))},
    }


def test_a_submitted_form_reads_as_the_answer_the_member_gave() -> None:
    given, errors = submitted_answer(form("2", "no", "  Hard month  ", share=True, support=True))
    assert errors == {}
    assert given == CheckInAnswer(2, False, "  Hard month  ", share_note=True, wants_support=True)
    assert given is not None
    assert given.clean_note == "Hard month"
    assert given.shares_note


def test_a_form_without_a_rating_or_with_a_long_note_points_at_the_field() -> None:
    assert submitted_answer(form(rating=None))[1] == {ids.CHECKIN_RATING: "Choose a rating from 1 to 5."}
    assert submitted_answer(form(rating="9"))[1] == {ids.CHECKIN_RATING: "Choose a rating from 1 to 5."}
    assert ids.CHECKIN_NOTE in submitted_answer(form(note="x" * (NOTE_MAX_CHARS + 1)))[1]
    assert submitted_answer({"garbage": 1, ids.CHECKIN_RATING: "not a dict"})[0] is None


def test_sharing_without_a_note_shares_nothing() -> None:
    given, _ = submitted_answer(form(note="   ", share=True))
    assert given is not None
    assert not given.shares_note
    assert given.clean_note is None


@pytest.mark.parametrize(
    "value", ["42:6", "42:0", "0:3", "-1:3", "42", "42:3:1", "abc", "", " 42:3", "1" * 13 + ":3", None, 42]
)
def test_a_rating_value_this_app_never_wrote_is_not_read(value: object) -> None:
    assert parse_rate_value(value) is None


def test_rating_and_id_values_read_back_exactly() -> None:
    assert parse_rate_value("42:5") == (42, 5)
    assert parse_checkin_id("42") == 42
    assert [parse_checkin_id(v) for v in ("0", "4 2", "x", "", None, "99999999999999")] == [None] * 6


@pytest.mark.parametrize(
    "metadata",
    ["", "{", "[]", '{"checkin": "x"}', '{"checkin": 1, "channel": 5}', '{"checkin": 1, "pair": "x"}', None],
)
def test_form_metadata_this_app_never_wrote_is_not_read(metadata: object) -> None:
    assert FormOrigin.decode(metadata) is None


def test_a_form_names_its_pair_and_one_opened_before_forms_did_still_reads() -> None:
    named = FormOrigin(42, "D0LEARN", "1.2", pair=7)
    assert FormOrigin.decode(named.encode()) == named
    assert FormOrigin.decode(FormOrigin(42, pair=7).encode()) == FormOrigin(42, pair=7)
    before = '{"checkin": 42, "channel": "D0LEARN", "ts": "1.2"}'
    assert FormOrigin.decode(before) == FormOrigin(42, "D0LEARN", "1.2")


def test_once_answered_the_message_shows_only_the_members_own_answer_and_no_buttons() -> None:
    answered = Answered(CHECKIN, CheckInAnswer(4, True, "private words", share_note=False), support=None)
    blocks = answered_message(answered).block_dicts()
    text = shown(blocks)
    assert buttons(blocks) == []
    assert "answered, thank you" in text
    assert "*4 of 5*" in text
    assert "you have met" in text
    assert "your note stays private" in text
    assert "private words" not in text  # not even echoed back into Slack


def test_an_answer_asking_for_support_says_who_will_see_it_and_when() -> None:
    sent = SupportSent("pgy1-spring", "PGY-1 spring", ["U0FAC1", "U0FAC2"])
    answered = Answered(CHECKIN, CheckInAnswer(2, wants_support=True), support=sent)
    text = shown(answered_message(answered).block_dicts())
    assert "<@U0FAC1> and <@U0FAC2>" in text
    assert "within two working days" in text


def test_support_with_no_facilitator_yet_says_so_instead_of_promising_a_reply() -> None:
    text = shown(support_sent_message(SupportSent("s", "Spring", [])).block_dicts())
    assert "no facilitator yet" in text
    assert "two working days" not in text


def test_the_facilitators_message_quotes_the_member_safely_and_names_the_partnership_from_a_checkin() -> None:
    args = {
        "cohort_name": "PGY-1 spring",
        "member_user_id": "U0LEARN",
        "message": "<!channel> rough week\nsecond line",
        "partner_user_id": "U0ADA",
    }
    text = shown(render("support_request", args).block_dicts())
    assert "<@U0LEARN> asked for support in their check-in" in text
    assert "<@U0ADA>" in text
    assert ">&lt;!channel&gt; rough week\\n>second line" in text
    plain = shown(
        render("support_request", {**args, "message": None, "partner_user_id": None}).blocks[0].to_dict()
    )
    assert "in their check-in" not in plain


def test_several_partnerships_offer_one_button_each_opening_the_waiting_check_in_or_starting_one() -> None:
    waiting = CheckInChoice(7, 42, "PGY-1 <spring>", "U0ADA")
    nothing_open = CheckInChoice(8, None, "Peers", "U0BEN")
    blocks = choose_message([waiting, nothing_open]).block_dicts()
    assert [(b["action_id"], b["value"]) for b in buttons(blocks)] == [
        (ids.CHECKIN_OPEN, "42"),
        (ids.CHECKIN_START, "8"),
    ]


def test_refusals_are_kind_and_reveal_nothing_about_someone_elses_checkin() -> None:
    text = friendly_message(CheckInNotYours())
    assert "/circles checkin" in text
    assert "newer" in friendly_message(CheckInSuperseded())
    assert "already answered a newer" in friendly_message(CheckInSuperseded(newer_answered=True))


def test_choosing_among_very_many_partnerships_stays_within_one_message() -> None:
    many = [CheckInChoice(n, n if n % 2 else None, "Alpha", f"U0L{n:03d}") for n in range(1, 61)]
    blocks = choose_message(many).block_dicts()
    assert problems({"text": "t", "blocks": blocks}) == []
    assert "…and 15 more" in json.dumps(blocks, ensure_ascii=False)


def test_a_check_in_names_its_partner_even_in_the_notification() -> None:
    message = checkin_message(7, "Alpha", "U0L1")
    assert "<@U0L1>" in message.text


def test_a_shared_note_is_said_to_reach_the_facilitators_never_anyone_paired_with_either_partner() -> None:
    # A facilitator who is the partner, or was ever paired with either, never reads it: said where it is told.
    answered = Answered(CHECKIN, CheckInAnswer(2, True, "hard month", share_note=True), support=None)
    text = shown(answered_message(answered).block_dicts())
    assert (
        "your note is shared with your facilitators, never with anyone either of you was paired with" in text
    )
    view = checkin_modal(CHECKIN, FormOrigin(42)).to_dict()
    [share] = [b for b in view["blocks"] if b.get("block_id") == ids.CHECKIN_SHARE]
    assert share["hint"]["text"] == "Never shown to anyone you or your partner were ever paired with."
