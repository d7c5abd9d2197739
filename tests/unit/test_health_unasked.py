"""Time no check-in was asked (the app down for weeks) is no day without meeting: nobody could report one."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import AnswerRow, Pair, evaluate, read_signals
from circles.domain.health.due import next_change
from circles.domain.health.unasked import unasked_spans
from circles.domain.vocabulary import PartnershipKind

START = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
WEEK = timedelta(weeks=1)
WEEKLY = Pair(1, PartnershipKind.COACH_LEARNER, 10, 20, START, checkin_every=WEEK)
LIMITS = HealthThresholds()
WITHIN = timedelta(days=LIMITS.answer_within_days)
JUST = timedelta(microseconds=1)


def asked(at: datetime, met: bool = True) -> list[AnswerRow]:
    """Both partners asked at `at` and answering an hour later."""
    return [(member, at, at + timedelta(hours=1), 4, met, False, None) for member in (10, 20)]


def days(pair: Pair, answers: list[AnswerRow], now: datetime) -> int:
    return read_signals(pair, answers, now, WITHIN).days_without_meeting


def test_of_a_six_week_gap_between_weekly_check_ins_only_one_week_counts_as_days_without_meeting() -> None:
    back = START + 7 * WEEK
    answers = asked(START) + asked(back, met=False)
    # From the meeting reported an hour after the first check-in: a week, less that hour, and two days.
    assert days(WEEKLY, answers, back + timedelta(days=2)) == 8
    assert days(replace(WEEKLY, checkin_every=None), answers, back + timedelta(days=2)) == 50


def test_gaps_no_longer_than_the_interval_and_the_time_since_the_last_check_in_count_in_full() -> None:
    answers = asked(START) + asked(START + WEEK, met=False) + asked(START + 2 * WEEK, met=False)
    assert days(WEEKLY, answers, START + 5 * WEEK) == 35 - 1  # counted from the answer an hour later


def test_a_pair_silent_while_asked_before_the_outage_keeps_counting_those_days() -> None:
    weekly = [row for week in range(4) for row in asked(START + week * WEEK, met=False)]
    back = START + 9 * WEEK
    health = evaluate(WEEKLY, [*weekly, *asked(back, met=False)], back, LIMITS)
    since_start = 3 * 7 + 7  # three weeks asked, one week of the gap, nothing of the rest
    assert health.signals.days_without_meeting == since_start
    assert "no_meeting:pair" in [reason.key for reason in health.reasons]


def test_time_away_inside_a_gap_is_left_out_once() -> None:
    away = ((START + 2 * WEEK, START + 4 * WEEK),)
    pair = replace(WEEKLY, first_away=away)
    answers = asked(START) + asked(START + 6 * WEEK, met=False)
    assert days(pair, answers, START + 6 * WEEK) == 6


def test_unasked_spans_are_the_part_of_each_gap_past_the_interval() -> None:
    dues = [START, START + WEEK, START + 4 * WEEK, START + 4 * WEEK, START + 5 * WEEK]
    assert unasked_spans(dues, WEEK) == ((START + 2 * WEEK, START + 4 * WEEK),)
    assert unasked_spans(dues, None) == ()


def history(rng: random.Random) -> list[AnswerRow]:
    """Weekly check-ins, sometimes held a little, with an outage of some weeks somewhere."""
    rows: list[AnswerRow] = []
    outage_at, outage = rng.randint(0, 6), rng.randint(0, 8)
    for k in range(rng.randint(1, 8)):
        due = START + WEEK * (k + (outage if k >= outage_at else 0)) + timedelta(hours=rng.randint(0, 30))
        for member in (10, 20):
            if rng.random() < 0.7:
                answered = due + timedelta(hours=rng.randint(1, 120))
                rows.append((member, due, answered, rng.randint(1, 5), rng.random() < 0.4, False, None))
            else:
                rows.append((member, due, None, None, None, False, None))
    return sorted(rows, key=lambda row: row[1])


@pytest.mark.parametrize("seed", range(100))
def test_health_after_an_outage_holds_until_the_next_change_it_names(seed: int) -> None:
    rng = random.Random(seed)
    answers = history(rng)
    now = max(row[1] for row in answers) + timedelta(hours=rng.randint(0, 24 * 6))

    def seen(moment: datetime) -> tuple[object, ...]:
        health = evaluate(WEEKLY, answers, moment, LIMITS)
        return health.state, tuple(reason.key for reason in health.reasons), health.attention_streak

    upcoming = next_change(WEEKLY, answers, now, LIMITS)
    end = upcoming - JUST if upcoming is not None else now + timedelta(days=400)
    before = seen(now)
    for moment in (now + (end - now) * share for share in (0.25, 0.5, 0.9, 1)):
        assert seen(moment) == before
