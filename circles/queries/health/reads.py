"""What recomputing health reads, set-based (the same few queries for ten pairs or twenty thousand): its
scope, the cohorts' thresholds and the pairs' check-ins; the pairs themselves are in
circles.queries.health.pairs, the history it keeps in circles.queries.health.history."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Select, String, select, type_coerce
from sqlalchemy.orm import Session

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import AnswerRow
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import CheckIn, Cohort, Partnership
from circles.queries.checkins import asked_at


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
