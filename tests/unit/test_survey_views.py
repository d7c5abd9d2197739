"""What a member sees of a survey: the DM, its form within Slack's limits for any instrument, its answers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot import ids
from bot.views.survey_form import SurveyOrigin, parts, survey_modal
from bot.views.survey_values import submitted_survey
from bot.views.surveys import answered_message, invite_message
from circles.domain.vocabulary import SurveyPhase
from circles.messages import SurveyInvite
from circles.services.surveys.answers import SurveyAnswered, SurveyToAnswer
from instruments.catalog import DESCRIPTION_LIMIT, instrument
from instruments.model import Instrument, Item, Scale
from instruments.parts import ITEM_TEXT_LIMIT, LABEL_LIMIT, TITLE_LIMIT
from tests.slack_limits import problems

CLOSES = datetime(2026, 3, 16, tzinfo=UTC)


def _scale(scale_id: str, size: int) -> Scale:
    return Scale(scale_id, 1, size, tuple(f"{n:03}" + "é" * (LABEL_LIMIT - 3) for n in range(1, size + 1)))


def largest() -> Instrument:
    """An instrument as large as the loader lets one be: long texts, long labels, long and wide scales."""
    scales = (_scale("few", 10), _scale("menu", 100), _scale("wide", 500))
    items = [Item(f"t{n}", "ü" * ITEM_TEXT_LIMIT, scales[n % 3] if n % 4 else None) for n in range(150)]
    return Instrument("huge", "T" * TITLE_LIMIT, "d" * DESCRIPTION_LIMIT, 1, scales, tuple(items), (), 1)


def to_answer(survey: Instrument) -> SurveyToAnswer:
    return SurveyToAnswer(
        7, survey, SurveyPhase.MIDPOINT, "C" * 80, CLOSES, "Not the place for patient details."
    )


def test_the_largest_instrument_comes_in_parts_each_within_slacks_limits_and_none_left_out() -> None:
    survey = largest()
    pieces = parts(survey)
    assert len(pieces) > 1
    assert [item for piece in pieces for item in piece] == list(survey.items)
    asked: list[str] = []
    for part in range(len(pieces)):
        view = survey_modal(to_answer(survey), SurveyOrigin(7, "belonging", "D1", "1.2", part)).to_dict()
        assert problems(view) == []
        assert len(view["blocks"]) <= 100
        assert len(view["title"]["text"]) <= 24
        assert view["submit"]["text"] == ("Send" if part == len(pieces) - 1 else "Next")
        asked += [b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith(ids.SURVEY_ITEM)]
    assert asked == [ids.SURVEY_ITEM + item.id for item in survey.items]


def test_a_shipped_instrument_shows_every_question_with_its_scale_and_the_privacy_promise() -> None:
    survey = instrument("belonging")
    view = survey_modal(to_answer(survey), SurveyOrigin(7, "belonging")).to_dict()
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == [ids.SURVEY_ITEM + item.id for item in survey.items]
    assert inputs[0]["element"]["type"] == "radio_buttons"
    assert "Strongly agree" in json.dumps(inputs[0])
    assert "never yours" in json.dumps(view)
    assert SurveyOrigin.decode(view["private_metadata"]) == SurveyOrigin(7, "belonging")
    assert view["submit"]["text"] == "Send"


def test_the_privacy_promise_says_a_consenting_members_answers_are_in_the_research_export_under_a_code() -> (
    None
):
    view = survey_modal(to_answer(instrument("belonging")), SurveyOrigin(7, "belonging")).to_dict()
    shown = " ".join(json.dumps(view).split())
    assert "In Slack your facilitators see only how many people answered" in shown
    assert "research export under a code, not your name" in shown
    assert "summaries of at least five people" not in shown  # the export holds each consenting member's rows


def test_a_free_text_question_carries_the_cohorts_hint_and_a_research_choice() -> None:
    text_item = Item("words", "Anything else?", None)
    survey = Instrument("x", "X", "d", 1, (), (text_item,), (), 1)
    view = survey_modal(to_answer(survey), SurveyOrigin(7, "belonging")).to_dict()
    assert "Not the place for patient details." in json.dumps(view)
    assert any(b.get("block_id") == ids.SURVEY_RESEARCH + "words" for b in view["blocks"])
    values = {
        ids.SURVEY_ITEM + "words": {ids.INPUT: {"value": "It helped."}},
        ids.SURVEY_RESEARCH + "words": {ids.INPUT: {"selected_options": [{"value": "yes"}]}},
    }
    given, errors = submitted_survey(values, survey)
    assert errors == {}
    assert given is not None
    assert dict(given.texts) == {"words": "It helped."}
    assert given.for_research == {"words"}


def test_answers_outside_the_scale_or_none_at_all_are_shown_on_the_form() -> None:
    survey = instrument("belonging")
    first = ids.SURVEY_ITEM + survey.items[0].id
    outside = {first: {ids.INPUT: {"selected_option": {"value": "9"}}}}
    assert submitted_survey(outside, survey) == (None, {first: "Choose a value from 1 to 5."})
    given, errors = submitted_survey({}, survey)
    assert given is None
    assert list(errors) == [first]
    chosen = {first: {ids.INPUT: {"selected_option": {"value": "4"}}}}
    given, errors = submitted_survey(chosen, survey)
    assert given is not None
    assert dict(given.values) == {survey.items[0].id: 4}


def test_odd_metadata_reads_as_no_survey() -> None:
    for odd in (
        None,
        "",
        "{",
        "[]",
        json.dumps({"request": 0}),
        json.dumps({"request": 1, "instrument": "nope"}),
        json.dumps({"request": 1, "instrument": "belonging", "part": 1}),  # it has one part only
    ):
        assert SurveyOrigin.decode(odd) is None


def test_a_form_carries_its_instruments_version_and_reads_as_outdated_once_the_file_changed() -> None:
    survey = instrument("belonging")
    view = survey_modal(to_answer(survey), SurveyOrigin(7, "belonging")).to_dict()
    shown = SurveyOrigin.decode(view["private_metadata"])
    assert shown is not None
    assert shown.version == survey.version
    assert not shown.outdated()
    older = json.loads(view["private_metadata"]) | {"version": survey.version + 1, "part": 3}
    changed = SurveyOrigin.decode(json.dumps(older))
    assert changed is not None
    assert changed.outdated()  # its part need not exist any more: it is refused as a whole


def test_the_dm_names_the_survey_its_length_and_who_sees_it_with_an_answer_button() -> None:
    survey = instrument("belonging")
    message = invite_message(SurveyInvite(5, "belonging", SurveyPhase.BASELINE, "PGY-1"), survey)
    shown = json.dumps(message.block_dicts())
    assert survey.title in shown
    assert f"{len(survey.items)} questions" in shown
    assert "never yours" in shown
    actions: list[Any] = [b for b in message.block_dicts() if b["type"] == "actions"]
    button = actions[0]["elements"][0]
    assert (button["action_id"], button["value"]) == (ids.SURVEY_OPEN, "5")
    reminder = invite_message(
        SurveyInvite(5, "belonging", SurveyPhase.BASELINE, "PGY-1"), survey, reminder=True
    )
    assert "reminder" in reminder.text.lower()


def test_once_answered_the_dm_thanks_and_has_no_button() -> None:
    done = answered_message(SurveyAnswered(to_answer(instrument("belonging")), 4))
    assert "thank you" in done.text
    assert all(b["type"] != "actions" for b in done.block_dicts())


def test_a_form_opened_again_skips_the_questions_and_parts_answered_before() -> None:
    biggest = largest()
    survey = replace(biggest, items=(*biggest.items, *(replace(i, id=f"{i.id}b") for i in biggest.items)))
    pieces = parts(survey)
    assert len(pieces) > 2
    before = frozenset(item.id for piece in pieces[:-1] for item in piece)  # every part but the last
    again = replace(to_answer(survey), answered=before - {pieces[1][-1].id})  # and one question of part 2
    start = SurveyOrigin(7, "huge")
    first = survey_modal(again, start).to_dict()
    assert [b for b in first["blocks"] if b["type"] == "input"] == []
    assert "already answered this part" in json.dumps(first)
    assert first["submit"]["text"] == "Next"

    second = start.next_part(again)
    assert second.part == 1
    shown = survey_modal(again, second).to_dict()
    inputs = [b["block_id"] for b in shown["blocks"] if b["type"] == "input"]
    assert inputs[0] == ids.SURVEY_ITEM + pieces[1][-1].id
    assert f"already answered {len(pieces[1]) - 1} questions of this part" in json.dumps(shown)

    done = replace(again, answered=before)
    assert start.next_part(done).part == len(pieces) - 1  # straight on to the part still to answer


def test_a_cohort_name_with_an_ampersand_or_angle_brackets_shows_as_written_on_every_survey_surface() -> None:
    name = "Surgery & Anaesthesia <PGY-1>"
    shown = "Surgery &amp; Anaesthesia &lt;PGY-1&gt;"  # escaped once: Slack shows it as typed
    survey = instrument("belonging")
    invite = SurveyInvite(5, "belonging", SurveyPhase.BASELINE, name)
    answering = replace(to_answer(survey), cohort_name=name)
    texts = [
        json.dumps(message.block_dicts()) + message.text
        for message in (
            invite_message(invite, survey),
            invite_message(invite, survey, reminder=True),
            answered_message(SurveyAnswered(answering, 4)),
        )
    ]
    texts.append(json.dumps(survey_modal(answering, SurveyOrigin(5, "belonging")).to_dict()))

    for text in texts:
        assert shown in text
        assert "&amp;amp;" not in text  # before: "Surgery &amp;amp; Anaesthesia"
        assert "&amp;lt;" not in text
