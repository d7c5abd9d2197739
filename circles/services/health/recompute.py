"""Recompute partnership health set-based, keep its history, and show a cohort's board to its facilitators.

The tick's watch records health (see circles.services.health.watch); reading a board computes it afresh and
writes nothing.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from circles.domain.health import CONCERNED, AnswerRow, Reason, Rule, Signals, evaluate, risk_key
from circles.domain.health.away import away_until, waits_for_return
from circles.domain.health.due import next_change
from circles.domain.vocabulary import PartnershipHealthState, PartnershipKind
from circles.persistence.db import Session
from circles.queries.health import reads
from circles.queries.health.history import add_history, recent_history
from circles.queries.health.pairs import active_pairs

logger = logging.getLogger(__name__)

TREND_LENGTH = 5


@dataclass(frozen=True)
class TrendPoint:
    state: PartnershipHealthState
    since: datetime  # when the pair came into this state (or these reasons)


@dataclass(frozen=True)
class PartnershipHealth:
    """One active partnership's health now: what the board, escalations and reports read."""

    partnership_id: int
    cohort_id: int
    workspace_id: int
    kind: PartnershipKind
    first_user_id: str  # the coach or mentor in coach and mentor pairs
    second_user_id: str
    state: PartnershipHealthState
    reasons: tuple[Reason, ...]
    signals: Signals
    # Check-in occurrences in a row, up to the latest, in needs_attention or struggling (0 otherwise),
    # counted up to the cohort's attention_checkins_before_escalation: compare with >=.
    attention_streak: int
    trend: tuple[TrendPoint, ...]  # the stored history, newest first, this state included
    computed_at: datetime
    changed: bool  # the state or its reasons changed since the latest history row (written now if recorded)
    next_change: datetime | None = None  # when time alone may change it (recorded passes only)
    away_until: tuple[datetime | None, datetime | None] = (None, None)  # each partner's return, if away now
    answered_at: datetime | None = None  # the pair's newest check-in answer given by now, if any

    def risk_key(self) -> tuple[int, ...]:
        return risk_key(self.state, self.reasons, self.signals)

    @property
    def waits_until(self) -> datetime | None:
        """A partner is away: the facilitators hear of it at their return, unless support was asked for."""
        support = any(reason.rule is Rule.SUPPORT_REQUESTED for reason in self.reasons)
        return waits_for_return(self.state in CONCERNED, support, self.away_until)


def recompute(
    session: Session,
    now: datetime,
    *,
    cohort_id: int | None = None,
    workspace_id: int | None = None,
    partnerships: Sequence[int] | None = None,
    record: bool = True,
    skipped: list[int] | None = None,
    cohort_ids: Sequence[int] | None = None,
) -> list[PartnershipHealth]:
    """Health of the active partnerships of one cohort, some cohorts, one workspace, all, or the given ones;
    riskiest first.

    Four queries however many partnerships there are and, when recording, one statement writing a
    history row for each pair whose state or reasons changed since its latest stored row. The caller
    commits. Without `record` nothing is written: what a board shows. A pair whose health cannot be
    worked out (an odd row) is left out, logged by id, and added to `skipped` when given.
    """
    with _collector_paused():
        scope = reads.cohort_scope(cohort_id, workspace_id, partnerships, cohort_ids)
        return _recompute(session, now, scope, record, skipped if skipped is not None else [])


def _recompute(
    session: Session, now: datetime, scope: reads.Scope, record: bool, skipped: list[int]
) -> list[PartnershipHealth]:
    limits = reads.thresholds(session, scope)
    pairs = active_pairs(session, scope, now)
    answers = reads.answers_by_pair(session, scope, now)
    history = recent_history(session, scope, TREND_LENGTH)
    results: list[PartnershipHealth] = []
    new_rows: list[dict[str, object]] = []
    for row in pairs:
        pair = row.pair
        try:
            pair_answers, pair_limits = answers.get(pair.id, ()), limits[row.cohort_id]
            health = evaluate(pair, pair_answers, now, pair_limits)
            upcoming = next_change(pair, pair_answers, now, pair_limits) if record else None
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # One odd row (a threshold or date an old version let in) never stops the others' health.
            # Ids only: never a rating, a note or a name.
            logger.warning(
                "health skipped partnership %s of cohort %s: %s",
                row.pair.id,
                row.cohort_id,
                type(error).__name__,
            )
            skipped.append(row.pair.id)
            continue
        past = history.get(row.pair.id, [])
        keys = " ".join(reason.key for reason in health.reasons)
        changed = not past or past[0].state != health.state or past[0].reason_keys != keys
        trend = tuple(TrendPoint(p.state, p.computed_at) for p in past)
        if changed:
            trend = (TrendPoint(health.state, now), *trend[: TREND_LENGTH - 1])
            new_rows.append(
                {
                    "workspace_id": row.workspace_id,
                    "cohort_id": row.cohort_id,
                    "partnership_id": row.pair.id,
                    "computed_at": now,
                    "state": health.state,
                    "reasons": [reason.to_json() for reason in health.reasons],
                    "reason_keys": keys,
                    "signals": health.signals.to_json(),
                    "attention_streak": health.attention_streak,
                }
            )
        results.append(
            PartnershipHealth(
                partnership_id=row.pair.id,
                cohort_id=row.cohort_id,
                workspace_id=row.workspace_id,
                kind=row.pair.kind,
                first_user_id=row.first_user_id,
                second_user_id=row.second_user_id,
                state=health.state,
                reasons=health.reasons,
                signals=health.signals,
                attention_streak=health.attention_streak,
                trend=trend,
                computed_at=now,
                changed=changed,
                next_change=upcoming,
                away_until=(away_until(pair.first_away, now), away_until(pair.second_away, now)),
                answered_at=_newest_answer(pair_answers, now),
            )
        )
    if record:
        add_history(session, new_rows)
    results.sort(key=lambda result: (*result.risk_key(), result.partnership_id))
    return results


def _newest_answer(answers: Sequence[AnswerRow], now: datetime) -> datetime | None:
    """When the pair last answered a check-in, by `now` (an answer is new evidence even when it changes
    nothing of the pair's health, which keeps its history only of changes)."""
    return max((row[2] for row in answers if row[2] is not None and row[2] <= now), default=None)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector during the bulk read.

    It would walk the half-million fresh tuples again and again (a third of the time), though
    none of them can be part of a cycle; reference counting frees them all the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
