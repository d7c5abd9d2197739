"""Between two signals a pair's health changes only at the instant `next_change` names, never before."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import AnswerRow, Health, Pair, evaluate
from circles.domain.health.due import next_change
from circles.domain.vocabulary import PartnershipKind

START = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
PAIR = Pair(1, PartnershipKind.COACH_LEARNER, 10, 20, START)
LIMITS = HealthThresholds()
JUST = timedelta(microseconds=1)


def history(rng: random.Random, occurrences: int) -> list[AnswerRow]:
    """Fortnightly check-ins for both partners; each answered (sometimes late) or left unanswered."""
    rows: list[AnswerRow] = []
    for k in range(occurrences):
        due = START + timedelta(weeks=2 * k, hours=rng.randint(0, 30))
        for member in (10, 20):
            if rng.random() < 0.7:
                answered = due + timedelta(hours=rng.randint(1, 120))
                rows.append(
                    (member, due, answered, rng.randint(1, 5), rng.random() < 0.6, rng.random() < 0.1, None)
                )
            else:
                rows.append((member, due, None, None, None, False, None))
    return sorted(rows, key=lambda row: row[1])


def seen(health: Health) -> tuple[object, ...]:
    """What history and escalations act on: the state, the rules that fired and the streak."""
    return (health.state, tuple(reason.key for reason in health.reasons), health.attention_streak)


def at(answers: list[AnswerRow], now: datetime) -> Health:
    return evaluate(PAIR, [row for row in answers if row[1] <= now], now, LIMITS)


@pytest.mark.parametrize("seed", range(150))
def test_health_holds_until_the_next_change_and_only_the_clock_can_move_it(seed: int) -> None:
    rng = random.Random(seed)
    answers = history(rng, rng.randint(0, 6))
    # Looked at some time after the last check-in fell due, before any new one does.
    last_due = max((row[1] for row in answers), default=START)
    now = last_due + timedelta(hours=rng.randint(0, 24 * 13))
    upcoming = next_change(PAIR, answers, now, LIMITS)
    before = seen(at(answers, now))
    end = upcoming - JUST if upcoming is not None else now + timedelta(days=400)
    assert end >= now
    for moment in (now + (end - now) * share for share in (0.25, 0.5, 0.9)):
        assert seen(at(answers, moment)) == before
    assert seen(at(answers, end)) == before


def test_an_unanswered_check_in_is_next_looked_at_when_its_answer_window_closes() -> None:
    due = START + timedelta(days=1)
    answers: list[AnswerRow] = [
        (10, due, due + timedelta(hours=2), 4, True, False, None),
        (20, due, None, None, None, False, None),
    ]
    assert next_change(PAIR, answers, due + timedelta(hours=3), LIMITS) == due + timedelta(days=3)


def test_with_every_window_closed_the_next_look_is_when_the_meeting_gets_too_old() -> None:
    due = START + timedelta(days=1)
    met = due + timedelta(hours=2)
    answers: list[AnswerRow] = [
        (10, due, met, 4, True, False, None),
        (20, due, None, None, None, False, None),
    ]
    assert next_change(PAIR, answers, due + timedelta(days=4), LIMITS) == met + timedelta(days=21)
    assert next_change(PAIR, answers, met + timedelta(days=22), LIMITS) is None
