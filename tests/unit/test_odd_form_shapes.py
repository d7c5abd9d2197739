"""A submitted modal is hostile input: every form reader reads odd shapes as "not given", never crashes."""

from __future__ import annotations

from typing import Any

import pytest

from bot import ids
from bot.views.cohort_config_submission import read_submission
from bot.views.digest import chosen_days
from bot.views.endings import end_reason
from bot.views.form_values import state_values
from bot.views.match_conflict import read_conflict
from bot.views.profile import avoided_users, submitted_profile

ODD_VALUES: list[Any] = [
    [],
    None,
    "values",
    {ids.DIGEST_DAYS_BLOCK: None, ids.PARTNERSHIP_END_REASON: [], ids.PROFILE_AVOID: "x"},
    {block: {ids.INPUT: {"value": ["1"], "selected_option": [], "selected_users": "U1"}} for block in (
        "name", "pairing_mode", "prompt_weekday", "starts_on", "facilitators", ids.PROFILE_CAPACITY,
        ids.MATCH_CONFLICT_ONE, ids.MATCH_CONFLICT_KIND, ids.DIGEST_DAYS_BLOCK,
    )},
]  # fmt: skip


@pytest.mark.parametrize("values", ODD_VALUES)
def test_every_form_reader_takes_odd_values_as_nothing_given(values: Any) -> None:
    assert chosen_days(values) == frozenset()
    assert end_reason(values) == ""
    assert avoided_users(values) == []
    assert read_conflict(values)[0] is None
    submitted_profile(values)
    _settings, facilitators, _errors = read_submission(values)
    assert all(isinstance(user, str) for user in facilitators)


@pytest.mark.parametrize("view", [None, [], {}, {"state": None}, {"state": []}, {"state": "x"}])
def test_a_view_without_a_state_has_no_values(view: Any) -> None:
    assert state_values(view) == {}


def field(value: Any, key: str = "value") -> dict[str, Any]:
    return {ids.INPUT: {key: value}}


@pytest.mark.parametrize(
    ("block", "given"),
    [
        ("pairing_mode", field({"value": "not-a-mode"}, "selected_option")),
        ("meeting_place", field({"value": "moon"}, "selected_option")),
        ("prompt_weekday", field({"value": "²"}, "selected_option")),
        ("prompt_local_time", field("25:99", "selected_time")),
        ("starts_on", field("2026-13-40", "selected_date")),
        ("circle_min_size", field("--5")),
    ],
)
def test_a_cohort_setting_that_does_not_parse_is_an_error_on_its_field(block: str, given: Any) -> None:
    _settings, _facilitators, errors = read_submission({block: given})
    assert block in errors


def test_a_capacity_in_other_digits_asks_for_a_whole_number() -> None:
    _fields, errors = submitted_profile({ids.PROFILE_CAPACITY: field("²")})
    assert ids.PROFILE_CAPACITY in errors
