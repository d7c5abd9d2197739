"""Partners asked at different hours of one check-in day (time zones, a night shift, Do Not Disturb) answer
one check-in: it counts once towards the streak that calls for the facilitators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import calls_for_facilitators
from circles.domain.health import Answer, Pair, evaluate
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipKind

COACH, LEARNER = 101, 102
MONDAY = datetime(2026, 3, 9, tzinfo=UTC)  # New York on daylight time already, London not yet
LONDON_NINE, NEW_YORK_NINE = MONDAY.replace(hour=9), MONDAY.replace(hour=13)
PAIR = Pair(1, PartnershipKind.COACH_LEARNER, COACH, LEARNER, MONDAY - timedelta(weeks=3), checkin_every=None)


def answered(member: int, asked: datetime, rating: int) -> Answer:
    return Answer(member, asked, asked + timedelta(hours=1), rating, True, False)


def test_one_low_check_in_of_partners_in_two_time_zones_is_one_in_the_streak_and_alerts_nobody() -> None:
    answers = [answered(LEARNER, LONDON_NINE, 2), answered(COACH, NEW_YORK_NINE, 4)]
    health = evaluate(PAIR, answers, NEW_YORK_NINE + timedelta(hours=2), HealthThresholds())

    assert health.state is State.NEEDS_ATTENTION
    assert health.attention_streak == 1
    assert health.signals.checkins_due == 1
    assert not calls_for_facilitators(health.state, health.attention_streak, HealthThresholds())


def test_a_night_shift_partner_asked_that_evening_still_answers_the_same_check_in() -> None:
    evening = LONDON_NINE.replace(hour=19)  # held for her shift
    week_before = [answered(COACH, LONDON_NINE - timedelta(weeks=1), 4)]
    week_before.append(answered(LEARNER, evening - timedelta(weeks=1), 2))
    answers = [*week_before, answered(COACH, LONDON_NINE, 4), answered(LEARNER, evening, 2)]
    health = evaluate(PAIR, answers, evening + timedelta(hours=2), HealthThresholds())

    assert health.signals.checkins_due == 2
    assert health.attention_streak == 2  # two check-in days in a row: now the facilitators hear
    assert calls_for_facilitators(health.state, health.attention_streak, HealthThresholds())


def test_a_friday_question_held_until_a_night_shift_on_sunday_is_still_that_fridays_check_in() -> None:
    friday, sunday_evening = MONDAY.replace(day=13, hour=9), MONDAY.replace(day=15, hour=19)
    held = Answer(COACH, friday, None, None, None, False, asked_at=sunday_evening)
    health = evaluate(PAIR, [answered(LEARNER, friday, 2), held], sunday_evening, HealthThresholds())

    assert health.state is State.NEEDS_ATTENTION
    assert health.signals.checkins_due == 1
    assert health.attention_streak == 1
    assert not calls_for_facilitators(health.state, health.attention_streak, HealthThresholds())
    wednesday = friday + timedelta(days=5)  # its days to answer count from Sunday evening
    later = evaluate(PAIR, [answered(LEARNER, friday, 2), held], wednesday, HealthThresholds())
    assert later.signals.first.missed_in_a_row == 0
