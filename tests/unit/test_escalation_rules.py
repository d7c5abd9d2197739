"""When health calls for facilitators, when a resolved concern counts again, and when to follow up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import (
    FollowUp,
    Outcome,
    calls_for_facilitators,
    follow_up_due,
    parse_outcome,
    parse_snooze_days,
    recurred,
)
from circles.services.escalations.open import Concern

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DEFAULTS = HealthThresholds()


def test_struggling_always_calls_for_facilitators_and_healthy_states_never_do() -> None:
    assert calls_for_facilitators("struggling", 0, DEFAULTS)
    for state in ("thriving", "steady", "unknown"):
        assert not calls_for_facilitators(state, 99, DEFAULTS)


@pytest.mark.parametrize(("streak", "expected"), [(0, False), (1, False), (2, True), (5, True)])
def test_needs_attention_calls_once_the_streak_reaches_the_threshold(streak: int, expected: bool) -> None:
    assert calls_for_facilitators("needs_attention", streak, DEFAULTS) is expected


def test_a_resolved_concern_counts_again_after_a_newer_check_in_or_a_whole_period() -> None:
    resolved, period = NOW, timedelta(weeks=2)
    assert not recurred(resolved, date(2026, 11, 2), NOW + timedelta(days=3), period)
    assert recurred(resolved, date(2026, 11, 3), NOW + timedelta(days=1), period)
    assert not recurred(resolved, None, NOW + timedelta(days=13), period)
    assert recurred(resolved, None, NOW + timedelta(days=14), period)


def test_a_check_in_answered_after_the_resolution_counts_again_though_health_did_not_change() -> None:
    resolved, period, unchanged = NOW, timedelta(weeks=2), date(2026, 10, 19)
    assert recurred(resolved, unchanged, NOW + timedelta(hours=2), period, NOW + timedelta(hours=1))
    assert not recurred(resolved, unchanged, NOW + timedelta(days=3), period, NOW - timedelta(hours=1))
    assert not recurred(resolved, unchanged, NOW + timedelta(days=3), period, None)


def test_follow_ups_remind_then_reach_admins_then_stop() -> None:
    hours = 48
    assert follow_up_due(NOW, 0, hours, NOW + timedelta(hours=47, minutes=59)) is None
    assert follow_up_due(NOW, 0, hours, NOW + timedelta(hours=48)) is FollowUp.REMIND
    assert follow_up_due(NOW, 1, hours, NOW + timedelta(hours=48)) is FollowUp.ADMINS
    assert follow_up_due(NOW, 2, hours, NOW + timedelta(days=90)) is None


def test_only_the_offered_snooze_lengths_and_outcomes_are_taken() -> None:
    assert [parse_snooze_days(t) for t in ("1", "3", "7", "14")] == [1, 3, 7, 14]
    for hostile in ("0", "2", "-1", "365", "7.5", "", "1e3", "٣"):
        assert parse_snooze_days(hostile) is None
    assert parse_outcome("rematched") is Outcome.REMATCHED
    assert parse_outcome("DROP TABLE") is None


def test_a_concern_knows_when_its_health_last_changed_even_from_odd_dates() -> None:
    assert Concern(1, "struggling", (), 0, (("2026-10-01", "steady"),)).changed_on() == date(2026, 10, 1)
    assert Concern(1, "struggling", (), 0, (("2026-10-01T09:00:00+00:00", "x"),)).changed_on() == date(
        2026, 10, 1
    )
    assert Concern(1, "struggling", (), 0, (("soon", "x"),)).changed_on() is None
    assert Concern(1, "struggling", (), 0).changed_on() is None
