"""Figures of several cohorts of one workspace side by side: a fixed number of statements, however many."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, PartnershipHealthState, PartnershipStatus
from circles.persistence.models import CheckIn, Escalation, HealthRecord, Member, Partnership
from circles.queries.checkins import asked_at


class CohortFigures(NamedTuple):
    """One cohort's figures now: counts, answers and ratings by now, escalations and their waits."""

    cohort_id: int
    members: int  # active or paused
    partnerships: int  # running (active or paused)
    checkins_due: int
    checkins_answered: int
    mean_rating: float | None
    struggling: int  # running partnerships whose latest health is struggling
    escalations: int
    claim_waits: tuple[timedelta, ...]  # opening to being taken up, over those taken up, shortest first


def cohort_figures(
    session: Session,
    workspace_id: int,
    cohort_ids: Sequence[int],
    now: datetime,
    newer: Iterable[tuple[int, int, PartnershipHealthState]] = (),
    *,
    leaving_out: Collection[int] = (),
) -> list[CohortFigures]:
    """The figures of each cohort asked for, in the order asked; five statements whatever their size.

    `newer`: (partnership, cohort, state) of active pairs, worked out as of now and not stored; each is that
    pair's latest state, after every stored one. Nothing of the pairs `leaving_out` counts (their viewer's).
    """
    ids = list(cohort_ids)
    out = sorted(leaving_out)
    kept = (Partnership.id.not_in(out),) if out else ()
    members = dict(
        session.execute(
            select(Member.cohort_id, func.count())
            .where(Member.workspace_id == workspace_id, Member.cohort_id.in_(ids))
            .where(Member.status != MemberStatus.LEFT)
            .group_by(Member.cohort_id)
        ).all()
    )
    running = Partnership.status != PartnershipStatus.ENDED
    pairs = dict(
        session.execute(
            select(Partnership.cohort_id, func.count())
            .where(Partnership.workspace_id == workspace_id, Partnership.cohort_id.in_(ids), running, *kept)
            .group_by(Partnership.cohort_id)
        ).all()
    )
    answered = (CheckIn.answered_at.is_not(None)) & (CheckIn.answered_at <= now)
    checkins = {
        cohort: (due, int(done or 0), float(mean) if mean is not None else None)
        for cohort, due, done, mean in session.execute(
            select(
                Partnership.cohort_id,
                func.count(),
                func.sum(case((answered, 1), else_=0)),
                func.avg(case((answered, CheckIn.rating))),
            )
            .join(Partnership, Partnership.id == CheckIn.partnership_id)
            .where(CheckIn.workspace_id == workspace_id, Partnership.workspace_id == workspace_id)
            .where(Partnership.cohort_id.in_(ids), or_(asked_at() <= now, answered), *kept)
            .group_by(Partnership.cohort_id)
        )
    }
    latest: dict[int, tuple[int, PartnershipHealthState]] = {}
    for cohort, pair, state in session.execute(
        select(HealthRecord.cohort_id, HealthRecord.partnership_id, HealthRecord.state)
        .join(Partnership, Partnership.id == HealthRecord.partnership_id)
        .where(HealthRecord.workspace_id == workspace_id, Partnership.workspace_id == workspace_id)
        .where(HealthRecord.cohort_id.in_(ids), HealthRecord.computed_at <= now, running, *kept)
        .order_by(HealthRecord.computed_at, HealthRecord.id)
    ):
        latest[pair] = (cohort, state)  # later records replace earlier ones
    latest.update((pair, (cohort, state)) for pair, cohort, state in newer if pair not in leaving_out)
    struggling = [cohort for cohort, state in latest.values() if state is PartnershipHealthState.STRUGGLING]
    opened: dict[int, int] = {}
    waits: dict[int, list[timedelta]] = {}
    for cohort, opened_at, claimed_at in session.execute(
        select(Escalation.cohort_id, Escalation.opened_at, Escalation.claimed_at).where(
            Escalation.workspace_id == workspace_id,
            Escalation.cohort_id.in_(ids),
            Escalation.opened_at <= now,
            *((Escalation.partnership_id.not_in(out),) if out else ()),
        )
    ):
        opened[cohort] = opened.get(cohort, 0) + 1
        if claimed_at is not None and claimed_at <= now:
            waits.setdefault(cohort, []).append(claimed_at - opened_at)
    return [
        CohortFigures(
            cohort,
            members.get(cohort, 0),
            pairs.get(cohort, 0),
            *checkins.get(cohort, (0, 0, None)),
            struggling.count(cohort),
            opened.get(cohort, 0),
            tuple(sorted(waits.get(cohort, []))),
        )
        for cohort in ids
    ]
