"""The support form as Slack shows it, its button values as hostile input, and where refusals appear."""

from __future__ import annotations

from typing import Any

import pytest

from bot import ids
from bot.listeners.actions.support import parse_support_value
from bot.views.support_form import error_block, sent_modal, submitted_support, support_modal, support_value
from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.errors import InvalidSupportMessage, NoFacilitators, NotAMember, PartnershipNotYours
from circles.services.support.form import CohortChoice, PartnershipChoice, SupportAbout, SupportForm
from circles.services.support.request import SupportSent

PGY1, FACULTY = CohortChoice("pgy1", "PGY-1 <spring>"), CohortChoice("faculty", "Faculty")
WITH_ADA = PartnershipChoice(7, "U0ADA", "Ada Diaz", "pgy1", "PGY-1 <spring>")
WITH_SAM = PartnershipChoice(8, "U0SAM", "U0SAM", "faculty", "Faculty")


def blocks(form: SupportForm) -> dict[str, dict[str, Any]]:
    view = support_modal(form).to_dict()
    assert view["callback_id"] == ids.SUPPORT_VIEW
    return {b.get("block_id", f"#{n}"): b for n, b in enumerate(view["blocks"])}


@pytest.mark.parametrize(
    ("value", "about"),
    [
        ("", SupportAbout()),
        ("c:pgy1-spring", SupportAbout(cohort_slug="pgy1-spring")),
        ("p:42", SupportAbout(partnership_id=42)),
    ],
)
def test_the_three_button_values_read_back_as_what_they_ask_about(value: str, about: SupportAbout) -> None:
    assert parse_support_value(value) == about
    assert support_value(about) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        "x",
        "c:",
        "c:PGY1",
        "c:pgy1 spring",
        "c:" + "a" * 41,
        "p:",
        "p:-1",
        "p:4²",
        "p:" + "9" * 13,
        "q:1",
        "p:1:2",
    ],
)
def test_any_other_value_is_refused_as_not_ours(value: object) -> None:
    assert parse_support_value(value) is None


def test_with_several_cohorts_the_form_asks_which_and_offers_every_partnership() -> None:
    form = SupportForm(SupportAbout(), [FACULTY, PGY1], [WITH_SAM, WITH_ADA], DEFAULT_FREE_TEXT_HINT)
    shown = blocks(form)
    cohort, partnership, message = (
        shown[ids.SUPPORT_COHORT],
        shown[ids.SUPPORT_PARTNERSHIP],
        shown[ids.SUPPORT_MESSAGE],
    )
    assert [o["value"] for o in cohort["element"]["options"]] == ["faculty", "pgy1"]
    assert "optional" not in cohort or cohort["optional"] is False
    assert partnership["optional"] is True
    assert [(o["value"], o["text"]["text"]) for o in partnership["element"]["options"]] == [
        ("8", "U0SAM · Faculty"),
        ("7", "Ada Diaz · PGY-1 <spring>"),  # plain text: nothing to escape
    ]
    assert message["optional"] is True
    assert message["element"]["max_length"] == 3000  # all a text input takes (a command takes 4,000)
    assert message["hint"]["text"].endswith(DEFAULT_FREE_TEXT_HINT)
    assert support_modal(form).to_dict().get("private_metadata", "") == ""  # Slack sends it back as ""


def test_a_cohort_button_fixes_the_cohort_and_shows_its_hint() -> None:
    form = SupportForm(SupportAbout(cohort_slug="pgy1"), [PGY1], [WITH_ADA], "No patient names.")
    shown = blocks(form)
    assert ids.SUPPORT_COHORT not in shown
    assert "PGY-1 &lt;spring&gt;" in shown["#0"]["text"]["text"]
    assert [o["text"]["text"] for o in shown[ids.SUPPORT_PARTNERSHIP]["element"]["options"]] == ["Ada Diaz"]
    assert shown[ids.SUPPORT_MESSAGE]["hint"]["text"].endswith("No patient names.")
    assert support_modal(form).to_dict()["private_metadata"] == "c:pgy1"


def test_a_partnership_button_names_the_partner_and_asks_nothing_more_than_the_message() -> None:
    form = SupportForm(SupportAbout(partnership_id=7), [PGY1], [WITH_ADA], DEFAULT_FREE_TEXT_HINT)
    shown = blocks(form)
    assert ids.SUPPORT_COHORT not in shown
    assert ids.SUPPORT_PARTNERSHIP not in shown
    assert "about your partnership with <@U0ADA>" in shown["#0"]["text"]["text"]
    assert support_modal(form).to_dict()["private_metadata"] == "p:7"


def test_many_partnerships_and_long_names_stay_within_slacks_limits() -> None:
    many = [PartnershipChoice(n, f"U0{n}", "N" * 200, "pgy1", "C" * 120) for n in range(1, 150)]
    cohorts = [CohortChoice(f"c{n}", "C" * 120) for n in range(150)]
    shown = blocks(SupportForm(SupportAbout(), cohorts, many, "h" * 150))
    for block_id in (ids.SUPPORT_COHORT, ids.SUPPORT_PARTNERSHIP):
        options = shown[block_id]["element"]["options"]
        assert len(options) == 100
        assert all(len(o["text"]["text"]) <= 75 for o in options)


def test_a_form_reads_back_what_was_chosen_and_typed_and_odd_shapes_as_nothing() -> None:
    values = {
        ids.SUPPORT_COHORT: {ids.SUPPORT_INPUT: {"selected_option": {"value": "pgy1"}}},
        ids.SUPPORT_PARTNERSHIP: {ids.SUPPORT_INPUT: {"selected_option": None}},
        ids.SUPPORT_MESSAGE: {ids.SUPPORT_INPUT: {"value": "I'm not coping"}},
    }
    assert submitted_support(values) == ("pgy1", None, "I'm not coping")
    assert submitted_support({ids.SUPPORT_MESSAGE: "x", ids.SUPPORT_COHORT: {ids.SUPPORT_INPUT: 3}}) == (
        None,
        None,
        None,
    )


def test_refusals_appear_under_the_field_they_concern_or_the_message_box() -> None:
    both: dict[str, Any] = {ids.SUPPORT_COHORT: {}, ids.SUPPORT_PARTNERSHIP: {}, ids.SUPPORT_MESSAGE: {}}
    assert error_block(NotAMember("x"), both) == ids.SUPPORT_COHORT
    assert error_block(PartnershipNotYours(), both) == ids.SUPPORT_PARTNERSHIP
    assert error_block(InvalidSupportMessage(2000), both) == ids.SUPPORT_MESSAGE
    assert error_block(NoFacilitators("PGY-1"), both) == ids.SUPPORT_MESSAGE
    assert error_block(PartnershipNotYours(), {ids.SUPPORT_MESSAGE: {}}) == ids.SUPPORT_MESSAGE


def test_once_sent_the_form_says_who_was_told_and_when_to_expect_a_reply() -> None:
    text = str(sent_modal(SupportSent("pgy1", "PGY-1", ["U0FAY", "U0GUS"])).to_dict())
    assert "<@U0FAY> and <@U0GUS>" in text
    assert "within two working days" in text
