"""What recomputing health reads, set-based (the same few queries for ten pairs or twenty thousand): the pairs
in scope and their check-ins; the history it keeps is in circles.queries.health.history."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Select, String, select, type_coerce
from sqlalchemy.orm import Session, aliased

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import AnswerRow, Pair
from circles.domain.health.away import Spans
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import AwayBlock, CheckIn, Cohort, Member, Partnership
from circles.queries.checkins import asked_at
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


@dataclass(frozen=True)
class Scope:
    """What a recompute reads: the active pairs of some live cohorts, or only the given ones of them, or
    only those some coaches or mentors guide (`guides`: their memberships, the pairs' first members)."""

    cohorts: Select[int]
    partnership_ids: Sequence[int] | None = None
    guides: Collection[int] | None = None

    def pairs(self) -> list[ColumnElement[bool]]:
        """The conditions on partnerships."""
        found = [Partnership.status == PartnershipStatus.ACTIVE, Partnership.cohort_id.in_(self.cohorts)]
        if self.partnership_ids is not None:
            found.append(Partnership.id.in_(self.partnership_ids))
        if self.guides is not None:
            found.append(Partnership.first_member_id.in_(sorted(self.guides)))
        return found


def cohort_scope(
    cohort_id: int | None,
    workspace_id: int | None,
    partnership_ids: Sequence[int] | None = None,
    cohort_ids: Sequence[int] | None = None,
    guides: Collection[int] | None = None,
) -> Scope:
    """The pairs to recompute: one cohort's, some cohorts', a workspace's, all live cohorts', or only some
    (by id, or those some coaches or mentors guide)."""
    query = select(Cohort.id).where(Cohort.archived_at.is_(None))
    if cohort_id is not None:
        query = query.where(Cohort.id == cohort_id)
    if cohort_ids is not None:
        query = query.where(Cohort.id.in_(cohort_ids))
    if workspace_id is not None:
        query = query.where(Cohort.workspace_id == workspace_id)
    return Scope(query, partnership_ids, guides)


# Made once: an alias adapts its columns at first use and keeps them; every tick asks this question.
_FIRST, _SECOND = aliased(Member), aliased(Member)
_FIRST_AWAY, _SECOND_AWAY = aliased(AwayBlock), aliased(AwayBlock)


def thresholds(session: Session, scope: Scope) -> dict[int, HealthThresholds]:
    """Each cohort in scope's health thresholds, by cohort id."""
    query = select(Cohort.id, Cohort.health_thresholds).where(Cohort.id.in_(scope.cohorts))
    if scope.partnership_ids is not None:
        query = query.where(
            Cohort.id.in_(select(Partnership.cohort_id).where(Partnership.id.in_(scope.partnership_ids)))
        )
    if scope.guides is not None:
        query = query.where(Cohort.id.in_(select(Partnership.cohort_id).where(*scope.pairs())))
    return {cohort_id: HealthThresholds.from_json(data) for cohort_id, data in session.execute(query)}


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


def answers_by_pair(session: Session, scope: Scope, now: datetime) -> dict[int, list[AnswerRow]]:
    """Every check-in asked by `now` of the active pairs in scope, in one query, each pair's by due date."""
    as_text = session.get_bind().dialect.name == "sqlite"
    # A check-in belongs to the occurrence it was due for; a question held for its person's hours or
    # absence is asked, and its answer window opens, when it goes.
    asked = asked_at()
    # SQLite keeps instants as UTC text: read it marked as UTC and parse it here, in C.
    due_at = type_coerce(CheckIn.due_at, String) + "+00:00" if as_text else CheckIn.due_at
    held_to = type_coerce(CheckIn.asked_at, String) + "+00:00" if as_text else CheckIn.asked_at
    answered_at = type_coerce(CheckIn.answered_at, String) + "+00:00" if as_text else CheckIn.answered_at
    parse: Callable[[Any], datetime] = datetime.fromisoformat if as_text else _as_is
    active = select(Partnership.id).where(*scope.pairs())
    some = [] if scope.partnership_ids is None else [CheckIn.partnership_id.in_(scope.partnership_ids)]
    result = session.connection().execute(
        select(
            CheckIn.partnership_id,
            CheckIn.member_id,
            due_at,
            answered_at,
            CheckIn.rating,
            CheckIn.met,
            CheckIn.wants_support,
            held_to,
        )
        .where(CheckIn.partnership_id.in_(active), *some, asked <= now)
        .order_by(CheckIn.partnership_id, CheckIn.due_at)
    )
    # Half a million rows: the driver's own tuples cost a third of SQLAlchemy's rows. The statement
    # still runs through SQLAlchemy (and its events); only the fetching skips the Row objects.
    rows = result.cursor.fetchall()
    result.close()
    dues: dict[Any, datetime] = {}  # a cohort's check-ins fall due (and go) at the same few instants
    found: dict[int, list[AnswerRow]] = {}
    for partnership_id, group in groupby(rows, key=itemgetter(0)):
        answers: list[AnswerRow] = []
        found[partnership_id] = answers
        for _, member, due, answered, rating, met, support, gone in group:
            when = dues.get(due)
            if when is None:
                when = dues[due] = parse(due)
            # Most questions went when due (None): only a held one's instant is read.
            went = None if gone is None else dues.get(gone) or dues.setdefault(gone, parse(gone))
            answers.append(
                (member, when, parse(answered) if answered is not None else None, rating, met, support, went)
            )
    return found


def _as_is(value: datetime) -> datetime:
    return value
