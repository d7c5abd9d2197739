"""How many partners a coach or mentor takes: asked on the profile form, never answered for them."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.views.profile import CAPACITY_UNSAID, profile_modal, submitted_profile
from circles.services.people.profiles import ProfileFields, ProfileForm


def capacity_block(form: ProfileForm) -> dict[str, Any]:
    blocks = profile_modal(form).to_dict()["blocks"]
    [block] = [b for b in blocks if b.get("block_id") == ids.PROFILE_CAPACITY]
    found: dict[str, Any] = block
    return found


def capacity_given(value: str | None) -> dict[str, Any]:
    return {ids.PROFILE_CAPACITY: {ids.PROFILE_INPUT: {"type": "number_input", "value": value}}}


def test_a_coach_who_has_not_said_is_asked_with_nothing_filled_in() -> None:
    block = capacity_block(ProfileForm(ProfileFields(), guides=True, in_cohort=True))
    assert "initial_value" not in block["element"]
    assert block["optional"] is False


def test_a_coach_sees_the_places_they_offered() -> None:
    block = capacity_block(ProfileForm(ProfileFields(capacity=3), guides=True, in_cohort=True))
    assert block["element"]["initial_value"] == "3"


def test_a_coach_who_chose_zero_finds_their_zero_on_the_form_not_a_question_again() -> None:
    block = capacity_block(ProfileForm(ProfileFields(capacity=0), guides=True, in_cohort=True))
    assert block["element"]["initial_value"] == "0"


def test_a_capacity_left_empty_is_asked_for_again_and_not_read_as_none() -> None:
    fields, errors = submitted_profile(capacity_given(None))
    assert errors == {ids.PROFILE_CAPACITY: CAPACITY_UNSAID}
    assert fields.capacity is None
    _fields, blank = submitted_profile(capacity_given("  "))
    assert blank == {ids.PROFILE_CAPACITY: CAPACITY_UNSAID}


def test_a_capacity_given_is_read_and_zero_stays_a_real_answer() -> None:
    assert submitted_profile(capacity_given("2")) == (ProfileFields(capacity=2), {})
    assert submitted_profile(capacity_given("0")) == (ProfileFields(capacity=0), {})
