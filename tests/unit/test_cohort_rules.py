"""Slugs, settings limits and roles per pairing mode."""

from __future__ import annotations

from datetime import date

import pytest

from circles.domain.cohort_rules import (
    CohortSettings,
    closest_slugs,
    is_time_zone,
    roles_for,
    settings_problems,
    slug_problem,
)
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role


@pytest.mark.parametrize("slug", ["pgy1", "pgy1-spring", "a1", "m3-2027-faculty"])
def test_good_slugs_pass(slug: str) -> None:
    assert slug_problem(slug) is None


@pytest.mark.parametrize("slug", ["P", "p", "PGY1", "pgy_1", "-pgy", "pgy-", "pgy 1", "é-cohort", "a" * 41])
def test_bad_slugs_say_what_a_slug_may_be(slug: str) -> None:
    problem = slug_problem(slug)
    assert problem is not None
    assert "lowercase letters, digits and dashes" in problem


def test_closest_slugs_come_best_first() -> None:
    assert closest_slugs("pgy1-sprng", ["pgy1-spring", "pgy2-spring", "faculty"]) == [
        "pgy1-spring",
        "pgy2-spring",
    ]
    assert closest_slugs("zzz", ["pgy1-spring"]) == []


def test_defaults_are_valid() -> None:
    assert settings_problems(CohortSettings(name="PGY-1")) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"circle_min_size": 1}, "circle_min_size"),
        ({"circle_max_size": 13}, "circle_max_size"),
        ({"circle_min_size": 6, "circle_max_size": 4}, "circle_max_size"),
        ({"prompt_weekday": 7}, "prompt_weekday"),
        ({"checkin_every_weeks": 0}, "checkin_every_weeks"),
        ({"match_look_back_rounds": -1}, "match_look_back_rounds"),
        ({"match_look_back_rounds": 53}, "match_look_back_rounds"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "america/chicago"}, "timezone"),
        ({"starts_on": date(2027, 6, 1), "ends_on": date(2027, 6, 1)}, "ends_on"),
        ({"thresholds": HealthThresholds(low_rating=5)}, "low_rating"),
        ({"meeting_place": MeetingPlace.GROUP_DM, "circle_max_size": 9}, "meeting_place"),
        ({"thresholds": HealthThresholds(days_without_meeting=1)}, "days_without_meeting"),
        ({"free_text_hint": "x" * 151}, "free_text_hint"),
        ({"wellbeing_resources": "y" * 1001}, "wellbeing_resources"),
    ],
)
def test_each_rule_names_its_field(changes: dict[str, object], field: str) -> None:
    settings = CohortSettings(name="PGY-1").with_changes(**changes)
    assert field in settings_problems(settings)


def test_an_unknown_track_is_refused_when_the_tracks_are_known() -> None:
    settings = CohortSettings(name="PGY-1", prompt_track="nonexistent")
    assert "prompt_track" in settings_problems(settings, frozenset({"default"}))


def test_roles_follow_the_pairing_mode() -> None:
    assert roles_for(PairingMode.COACH_LEARNER) == (Role.LEARNER, Role.COACH)
    assert roles_for(PairingMode.MENTOR_LEARNER) == (Role.LEARNER, Role.MENTOR)
    assert roles_for(PairingMode.PEER) == (Role.PEER,)
    assert roles_for(PairingMode.NONE) == (Role.PEER,)


def test_thresholds_read_back_with_defaults_for_missing_or_unknown_keys() -> None:
    thresholds = HealthThresholds.from_json({"low_rating": 3, "retired_setting": 9})
    assert thresholds.low_rating == 3
    assert thresholds.days_without_meeting == HealthThresholds().days_without_meeting


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (date(2026, 1, 1), date(9999, 12, 31), "ends_on"),
        (date(1999, 12, 31), None, "starts_on"),
        (date(2032, 1, 1), None, "starts_on"),
        (date(2027, 1, 1), date(2026, 6, 1), "ends_on"),
    ],
)
def test_dates_stay_within_five_years_of_today_and_end_after_they_start(
    starts_on: date, ends_on: date | None, field: str
) -> None:
    settings = CohortSettings(name="PGY-1", starts_on=starts_on, ends_on=ends_on)
    assert field in settings_problems(settings, today=date(2026, 12, 5))
    assert (
        settings_problems(CohortSettings(name="PGY-1", starts_on=date(2031, 12, 5)), today=date(2026, 12, 5))
        == {}
    )


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules"])
def test_a_zone_file_that_names_no_place_is_no_cohort_time_zone(name: str) -> None:
    # "localtime" is whatever the server is set to, so two replicas could plan a cohort differently.
    assert not is_time_zone(name)
    assert "timezone" in settings_problems(CohortSettings(name="PGY-1", timezone=name))
