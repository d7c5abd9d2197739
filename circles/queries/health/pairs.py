"""The active pairs a health recompute reads, set-based, with the time each partner was away or on hold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from circles.domain.health import Pair
from circles.domain.health.away import Spans
from circles.persistence.models import AwayBlock, Member, Partnership
from circles.queries.health.reads import Scope
from circles.queries.on_hold import (
    RHYTHM,
    holding_blocks,
    pair_pauses_of,
    pauses_of,
    rhythm_of,
    with_partners,
)


@dataclass(frozen=True)
class PairRow:
    """An active partnership with what the board shows about it."""

    pair: Pair
    cohort_id: int
    workspace_id: int
    first_user_id: str
    second_user_id: str


# Made once: an alias adapts its columns at first use and keeps them; every tick asks this question.
_FIRST, _SECOND = aliased(Member), aliased(Member)
_FIRST_AWAY, _SECOND_AWAY = aliased(AwayBlock), aliased(AwayBlock)


def active_pairs(session: Session, scope: Scope, now: datetime) -> list[PairRow]:
    """The active pairs in scope, with their partners' Slack ids and away blocks, by id.

    The blocks come in the same statement, joined: a partner has few, and time away long over still
    never counts as days without meeting. So do the partners' own pauses and the pair's (a running one
    without a date is held until a day after `now`) and the cohort's check-in intervals, today's and
    earlier ones, and its first week: time no check-in was asked is no day without meeting either."""
    first, second, first_away, second_away = _FIRST, _SECOND, _FIRST_AWAY, _SECOND_AWAY
    pairs = select(
        Partnership.id,
        Partnership.kind,
        Partnership.first_member_id,
        Partnership.second_member_id,
        Partnership.started_at,
        Partnership.cohort_id,
        Partnership.workspace_id,
        first.slack_user_id,
        second.slack_user_id,
        first_away.starts_at,
        first_away.ends_at,
        second_away.starts_at,
        second_away.ends_at,
    )
    rows = session.connection().execute(
        with_partners(pairs, first, second)
        .add_columns(*RHYTHM)  # after the columns `with_partners` adds
        .outerjoin(first_away, holding_blocks(first_away, first))
        .outerjoin(second_away, holding_blocks(second_away, second))
        .where(*scope.pairs())
        .order_by(Partnership.id)
    )
    found: list[PairRow] = []
    rhythms: dict[int, dict[str, Any]] = {}  # a cohort's intervals and first week, made once
    # One row per pair unless a partner has away blocks: read the blocks only when there are some.
    for _, group in groupby(rows.all(), key=itemgetter(0)):
        head, *more = group
        pair_id, kind, first_id, second_id, started, cohort_id, workspace_id, one, other = head[:9]
        if more or head[9] is not None or head[11] is not None:
            away = (_spans(r[9:11] for r in (head, *more)), _spans(r[11:13] for r in (head, *more)))
        else:
            away = ((), ())
        rhythm = rhythms.get(cohort_id)
        if rhythm is None:
            rhythm = rhythms[cohort_id] = rhythm_of(head[13], *head[22:])
        # Pauses, a partner's own or the pair's (on hold for both of them): time on hold too.
        both = pair_pauses_of(head[20:22], now) if head[21] is not None else ()
        if both or head[16] is not None or head[19] is not None:
            away = (
                _with_pauses(away[0], head[14:17], both, now),
                _with_pauses(away[1], head[17:20], both, now),
            )
        pair = Pair(pair_id, kind, first_id, second_id, started, *away, **rhythm)
        found.append(PairRow(pair, cohort_id, workspace_id, one, other))
    return found


def _spans(found: Iterable[Sequence[Any]]) -> Spans:
    """The distinct blocks the join found (each repeated once per block of the other partner)."""
    return tuple(sorted({(_utc(since), _utc(back)) for since, back in found if since is not None}))


def _with_pauses(away: Spans, member: Sequence[Any], both: Spans, now: datetime) -> Spans:
    """A partner's away blocks, their pauses and the pair's together, earliest first."""
    paused = pauses_of(member, now) + both
    return tuple(sorted(away + paused)) if paused else away


def _utc(value: datetime) -> datetime:
    """Read through the connection, SQLite's instants come back naive (kept as UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
