"""A pair can only report a meeting it is asked about: time it was not asked never counts against it, however
long the cohort's interval, whatever interval it has today, and never before the cohort's first week."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import AnswerRow, Pair, evaluate, read_signals
from circles.domain.health.due import next_change
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipKind

PAIRED = datetime(2026, 2, 27, 14, tzinfo=UTC)
FIRST = datetime(2026, 3, 2, 14, tzinfo=UTC)  # the cohort's first Monday check-in day
WEEK = timedelta(weeks=1)
FOUR_WEEKS = 4 * WEEK
PAIR = Pair(1, PartnershipKind.COACH_LEARNER, 10, 20, PAIRED, checkin_every=FOUR_WEEKS)
LIMITS = HealthThresholds()  # 21 days without a meeting, three days to answer
WITHIN = timedelta(days=LIMITS.answer_within_days)


def asked(
    at: datetime, *, met: bool = True, rating: int = 5, after: timedelta | None = None
) -> list[AnswerRow]:
    """Both partners asked at `at`, answering `after` later (not at all when None and `met` is None)."""
    answered = at + (after if after is not None else timedelta(hours=5))
    return [(member, at, answered, rating, met, False, None) for member in (10, 20)]


def kept_by(answers: list[AnswerRow], now: datetime) -> list[AnswerRow]:
    """The check-ins asked by `now`, as the watch reads them."""
    return [row for row in answers if row[1] <= now]


def test_a_pair_meeting_at_every_four_weekly_check_in_never_needs_attention() -> None:
    checkins = [FIRST + k * FOUR_WEEKS for k in range(5)]
    answers = [row for at in checkins for row in asked(at)]
    seen = set()
    moment = FIRST
    while moment < checkins[-1] + FOUR_WEEKS:
        health = evaluate(PAIR, kept_by(answers, moment), moment, LIMITS)
        seen.add(health.state)
        moment += timedelta(hours=6)
    assert seen == {State.STEADY, State.THRIVING}  # steady only until the first answers
    # Three weeks after they said they met, with no check-in asked since, the days do not count against them.
    later = checkins[2] + timedelta(days=24)
    health = evaluate(PAIR, kept_by(answers, later), later, LIMITS)
    assert health.signals.awaiting_checkin
    assert health.state is State.THRIVING
    assert health.reasons[1].text == "they reported a meeting 23 days ago"


def test_asked_again_the_gap_is_judged_once_they_answer_or_miss_the_check_in() -> None:
    asked_again = FIRST + FOUR_WEEKS
    open_question = [(member, asked_again, None, None, None, False, None) for member in (10, 20)]
    answers = asked(FIRST) + open_question
    waiting = evaluate(PAIR, answers, asked_again + timedelta(hours=1), LIMITS)
    assert waiting.signals.days_without_meeting == 27
    assert waiting.state is not State.NEEDS_ATTENTION
    missed_window = evaluate(PAIR, answers, asked_again + WITHIN, LIMITS)
    assert "no_meeting:pair" in [reason.key for reason in missed_window.reasons]
    said_no = evaluate(
        PAIR, asked(FIRST) + asked(asked_again, met=False), asked_again + timedelta(hours=6), LIMITS
    )
    assert said_no.state is State.NEEDS_ATTENTION
    assert [reason.key for reason in said_no.reasons] == ["no_meeting:pair"]


def test_nothing_asked_for_an_interval_and_the_answer_window_after_a_meeting_counts_in_full_again() -> None:
    answers = asked(FIRST)
    just_before = FIRST + FOUR_WEEKS + WITHIN - timedelta(minutes=1)
    assert evaluate(PAIR, answers, just_before, LIMITS).state is State.THRIVING
    stopped = evaluate(PAIR, answers, FIRST + FOUR_WEEKS + WITHIN, LIMITS)
    assert not stopped.signals.awaiting_checkin
    assert stopped.signals.days_without_meeting == 30
    assert "no_meeting:pair" in [reason.key for reason in stopped.reasons]


def test_gaps_asked_on_time_every_four_weeks_still_count_once_the_cohort_checks_in_weekly() -> None:
    limits = replace(LIMITS, days_without_meeting=45)
    answers = asked(datetime(2026, 3, 30, 13, tzinfo=UTC), met=False) + asked(
        datetime(2026, 4, 27, 13, tzinfo=UTC), met=False
    )
    changed = datetime(2026, 5, 1, 12, tzinfo=UTC)
    four_weekly = evaluate(PAIR, answers, changed, limits)
    weekly = replace(PAIR, checkin_every=WEEK, earlier_every=((changed, FOUR_WEEKS),))
    health = evaluate(weekly, answers, changed, limits)
    assert health.state is four_weekly.state is State.NEEDS_ATTENTION
    assert [reason.text for reason in health.reasons] == [
        "no meeting reported since they were paired 62 days ago"
    ]
    assert health.signals.days_without_meeting == 62
    assert not health.signals.left_out_unasked
    # Weeks nobody was asked under the weekly rhythm since are still left out.
    back = changed + 5 * WEEK
    later = evaluate(weekly, [*answers, *asked(back, met=False)], back + timedelta(hours=6), limits)
    assert later.signals.days_without_meeting == 70  # to a week after the change: a weekly check-in was due
    assert later.signals.left_out_unasked


def test_time_before_the_cohorts_first_week_is_no_day_without_meeting() -> None:
    weekly = replace(PAIR, checkin_every=WEEK)
    answers = [row for k in range(3) for row in asked(FIRST + k * WEEK)]  # met through 16 March
    begins = datetime(2026, 4, 27, 4, tzinfo=UTC)  # moved on: its first week begins on 27 April
    moved = replace(weekly, cohort_starts_at=begins)
    april_7 = datetime(2026, 4, 7, 14, tzinfo=UTC)
    assert evaluate(weekly, answers, april_7, LIMITS).state is State.NEEDS_ATTENTION
    health = evaluate(moved, answers, april_7, LIMITS)
    assert health.state is State.THRIVING
    assert health.signals.days_without_meeting == 0
    # From its first week on the days count, but not against a pair not yet asked there.
    first_checkin = begins + WEEK + timedelta(hours=10)
    assert evaluate(moved, answers, first_checkin, LIMITS).signals.days_without_meeting == 7


def test_a_pair_made_before_the_cohort_begins_is_not_counted_as_not_meeting_before_it() -> None:
    begins = datetime(2026, 4, 27, 4, tzinfo=UTC)
    pair = replace(PAIR, checkin_every=WEEK, cohort_starts_at=begins)
    before = evaluate(pair, [], begins - timedelta(hours=1), LIMITS)
    assert (before.state, before.signals.days_without_meeting) == (State.STEADY, 0)
    assert before.signals.days_since == 58


def history(rng: random.Random, every: timedelta) -> list[AnswerRow]:
    """Check-ins on the interval, some skipped (nothing asked), each answered (met or not) or left open."""
    rows: list[AnswerRow] = []
    due = FIRST
    for _ in range(rng.randint(0, 6)):
        due += every * rng.choice((1, 1, 1, 2)) + timedelta(hours=rng.randint(0, 30))
        for member in (10, 20):
            if rng.random() < 0.75:
                answered = due + timedelta(hours=rng.randint(1, 100))
                rows.append((member, due, answered, rng.randint(3, 5), rng.random() < 0.7, False, None))
            else:
                rows.append((member, due, None, None, None, False, None))
    return sorted(rows, key=lambda row: row[1])


@pytest.mark.parametrize("seed", range(120))
def test_health_while_awaiting_a_check_in_holds_until_the_next_change_it_names(seed: int) -> None:
    rng = random.Random(seed)
    every = rng.choice((WEEK, 2 * WEEK, FOUR_WEEKS))
    pair = replace(
        PAIR,
        checkin_every=every,
        earlier_every=((FIRST + rng.randint(0, 60) * timedelta(days=1), FOUR_WEEKS),)
        if rng.random() < 0.4
        else (),
        cohort_starts_at=FIRST + timedelta(days=rng.randint(-10, 40)) if rng.random() < 0.4 else None,
        second_away=((FIRST + timedelta(days=20), FIRST + timedelta(days=30)),) if rng.random() < 0.3 else (),
    )
    answers = history(rng, every)
    now = max((row[1] for row in answers), default=FIRST) + timedelta(hours=rng.randint(0, 24 * 40))

    def seen(moment: datetime) -> tuple[object, ...]:
        health = evaluate(pair, kept_by(answers, moment), moment, LIMITS)
        return health.state, tuple(reason.key for reason in health.reasons), health.attention_streak

    upcoming = next_change(pair, answers, now, LIMITS)
    end = upcoming - timedelta(microseconds=1) if upcoming is not None else now + timedelta(days=400)
    before = seen(now)
    for moment in (now + (end - now) * share for share in (0.25, 0.5, 0.9, 1)):
        assert seen(moment) == before


def test_signals_read_straight_from_the_rows_say_when_a_pair_awaits_a_check_in() -> None:
    answers = asked(FIRST)
    assert read_signals(PAIR, answers, FIRST + 2 * WEEK, WITHIN).awaiting_checkin
    assert not read_signals(
        replace(PAIR, checkin_every=None), answers, FIRST + 2 * WEEK, WITHIN
    ).awaiting_checkin
