"""Every free-text input says it is not the place for patient information, in the cohort's own words."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.views.checkin_form import FormOrigin, checkin_modal
from bot.views.cohort_config import config_modal
from bot.views.endings import end_modal
from bot.views.escalation_forms import resolve_modal
from bot.views.profile import profile_modal
from bot.views.support_form import support_modal
from circles.domain.care import DEFAULT_FREE_TEXT_HINT, FREE_TEXT_HINT_MAX
from circles.domain.cohort_rules import CohortSettings
from circles.services.checkins.answers import OpenCheckIn
from circles.services.people.profiles import ProfileFields, ProfileForm
from circles.services.support.form import CohortChoice, SupportAbout, SupportForm

OWN = "Nothing that could identify a patient, please."
LONGEST = "h" * FREE_TEXT_HINT_MAX
HINT_LIMIT = 2000  # Slack's limit for an input block's hint
FORMS = ["check-in note", "profile", "ending reason", "escalation comment", "support message"]


def text_inputs(view: View) -> list[dict[str, Any]]:
    blocks = view.to_dict()["blocks"]
    return [b for b in blocks if b["type"] == "input" and b["element"]["type"] == "plain_text_input"]


def forms(hint: str | None) -> dict[str, View]:
    """Every form with a free-text input a member or facilitator fills in, with this hint (None: default)."""
    given: dict[str, Any] = {} if hint is None else {"hint": hint}
    checkin = OpenCheckIn(
        7, "pgy1", "PGY-1", "U0ADA", **({} if hint is None else {"free_text_hint": hint}), partnership_id=3
    )
    profile = ProfileForm(
        ProfileFields(), guides=True, in_cohort=True, **({} if hint is None else {"free_text_hint": hint})
    )
    return {
        "check-in note": checkin_modal(checkin, FormOrigin(7)),
        "profile": profile_modal(profile),
        "ending reason": end_modal(3, "U0ADA", **given),
        "escalation comment": resolve_modal(9, **given),
        "support message": support_modal(
            SupportForm(SupportAbout(), [CohortChoice("pgy1", "PGY-1")], [], hint or DEFAULT_FREE_TEXT_HINT)
        ),
    }


@pytest.mark.parametrize("form", FORMS)
def test_every_text_box_carries_the_default_hint(form: str) -> None:
    inputs = text_inputs(forms(None)[form])
    assert inputs
    for block in inputs:
        assert block["hint"]["type"] == "plain_text"
        assert block["hint"]["text"].endswith(DEFAULT_FREE_TEXT_HINT), block["block_id"]


@pytest.mark.parametrize("form", FORMS)
def test_a_cohorts_own_hint_replaces_the_default_and_fits_even_at_its_longest(form: str) -> None:
    for hint in (OWN, LONGEST):
        for block in text_inputs(forms(hint)[form]):
            assert hint in block["hint"]["text"]
            assert DEFAULT_FREE_TEXT_HINT not in block["hint"]["text"]
            assert len(block["hint"]["text"]) <= HINT_LIMIT


def test_the_note_keeps_saying_it_is_encrypted_and_private() -> None:
    [note] = text_inputs(forms(OWN)["check-in note"])
    assert note["hint"]["text"] == f"Kept encrypted. It stays private unless you tick the box below. {OWN}"


def test_the_settings_form_shows_the_cohorts_words_and_the_defaults_they_replace() -> None:
    settings = CohortSettings(
        name="PGY-1", free_text_hint=OWN, wellbeing_resources="Call the wellbeing team."
    )
    blocks = {
        b.get("block_id"): b
        for b in config_modal("pgy1", settings, ["U0FAC"], ["default"]).to_dict()["blocks"]
    }
    hint, resources = blocks["free_text_hint"], blocks["wellbeing_resources"]
    assert hint["element"]["initial_value"] == OWN
    assert hint["element"]["max_length"] == FREE_TEXT_HINT_MAX
    assert resources["element"]["initial_value"] == "Call the wellbeing team."
    assert resources["element"]["multiline"] is True
    assert "staff wellbeing or employee assistance service" in resources["hint"]["text"]
    empty = config_modal("pgy1", CohortSettings(name="PGY-1"), ["U0FAC"], ["default"]).to_dict()["blocks"]
    [blank] = [b for b in empty if b.get("block_id") == "free_text_hint"]
    assert "initial_value" not in blank["element"]  # Slack refuses an empty initial value
