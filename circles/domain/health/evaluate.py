"""A partnership's health now, how long it has needed attention, and how risky it is beside others."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health.rules import Reason, assess, concerns
from circles.domain.health.signals import AnswerRow, Pair, Signals, checkin_starts, read_signals
from circles.domain.vocabulary import PartnershipHealthState as State

CONCERNED = frozenset({State.NEEDS_ATTENTION, State.STRUGGLING})
RISKIEST_FIRST = (State.STRUGGLING, State.NEEDS_ATTENTION, State.STEADY, State.THRIVING)
RISK_RANK = {state: rank for rank, state in enumerate(RISKIEST_FIRST)}
JUST_BEFORE = timedelta(microseconds=1)


@dataclass(frozen=True)
class Health:
    state: State
    reasons: tuple[Reason, ...]
    signals: Signals
    # Check-in occurrences in a row, up to the latest, at which the pair needed attention or was
    # struggling (0 when it does not now); counted up to the cohort's
    # attention_checkins_before_escalation, all an escalation asks, which bounds the work.
    attention_streak: int

    @property
    def concerned(self) -> bool:
        return self.state in CONCERNED

    def risk_key(self) -> tuple[int, ...]:
        return risk_key(self.state, self.reasons, self.signals)


def risk_key(state: State, reasons: Sequence[Reason], signals: Signals) -> tuple[int, ...]:
    """Sort key, riskiest first: the state, then more concerns, a lower rating, longer without meeting."""
    lower = signals.lower_rating
    return (
        RISK_RANK[state],
        -len(reasons) if state in CONCERNED else 0,
        lower if lower is not None else 6,
        -signals.days_without_meeting,
    )


def evaluate(pair: Pair, answers: Sequence[AnswerRow], now: datetime, limits: HealthThresholds) -> Health:
    """The pair's health at `now` from its check-ins, ordered by due_at (see `AnswerRow`)."""
    within = timedelta(days=limits.answer_within_days)
    signals = read_signals(pair, answers, now, within)
    state, reasons = assess(pair, signals, limits)
    streak = _attention_streak(pair, answers, now, limits, within) if state in CONCERNED else 0
    return Health(state, reasons, signals, streak)


def _attention_streak(
    pair: Pair, answers: Sequence[AnswerRow], now: datetime, limits: HealthThresholds, within: timedelta
) -> int:
    """Walk back over the check-ins, each judged as it stood just before the next one was first due."""
    dues = checkin_starts(answers, now)
    if not dues:
        return 0
    streak = 1  # the latest occurrence, judged now
    for next_due in reversed(dues[1:]):
        if streak >= limits.attention_checkins_before_escalation:
            break
        if not concerns(read_signals(pair, answers, next_due - JUST_BEFORE, within), limits).any():
            break
        streak += 1
    return streak
