"""Which of some partnerships have not ended, the bulk ending of the pairs of cohorts that are over, and
their carrying on when a cohort's end moves later."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipKind, PartnershipStatus
from circles.persistence.models import Cohort, Member, Partnership
from circles.queries.aliases import FIRST_PARTNER, SECOND_PARTNER
from circles.queries.cohorts import past_end_date


def unended_with_cohorts(
    session: Session, partnership_ids: Sequence[int]
) -> list[tuple[Partnership, Cohort]]:
    """These partnerships, with their cohorts, unless they have ended."""
    rows = session.execute(
        select(Partnership, Cohort)
        .join(Cohort, Cohort.id == Partnership.cohort_id)
        .where(Partnership.id.in_(partnership_ids), Partnership.status != PartnershipStatus.ENDED)
    )
    return [(pair, cohort) for pair, cohort in rows]


def complete_past_end_date(session: Session, now: datetime) -> list[int]:
    """End as completed every partnership still running in a cohort whose end date is over in every time
    zone (a check-in late on the last day still reaches a partner in a zone behind the cohort's); their
    ids."""
    finished = past_end_date(session, now)
    if not finished:
        return []
    ended = session.scalars(
        update(Partnership)
        .where(Partnership.cohort_id.in_(finished), Partnership.status != PartnershipStatus.ENDED)
        .values(status=PartnershipStatus.ENDED, end_reason=EndReason.COMPLETED, ended_at=now)
        .returning(Partnership.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(ended)


@dataclass(frozen=True)
class Completed:
    """A pair its cohort's end completed, which may run again: who guides it (None for peers), its learner
    (its second member), whether it was paused when completed, and when it began."""

    id: int
    guide: str | None
    learner: str
    paused: bool
    started_at: datetime


def completed_at_end(session: Session, cohort_id: int) -> list[Completed]:
    """The cohort's pairs completed at its end whose partners both are still in it (paused or not) and have
    been since the pair ended, by id. A partner who left after the pair ended and came back (erased meanwhile
    or not) chose to go: their pair is not among them, as if they were still away."""
    partner_left = (
        select(Member.id)
        .where(
            or_(Member.id == Partnership.first_member_id, Member.id == Partnership.second_member_id),
            # Gone, or back for a stint begun after the pair ended (a return moves joined_at to it).
            or_(Member.status == MemberStatus.LEFT, Member.joined_at > Partnership.ended_at),
        )
        .exists()
    )
    rows = session.execute(
        select(
            Partnership.id,
            Partnership.kind,
            FIRST_PARTNER.slack_user_id,
            SECOND_PARTNER.slack_user_id,
            Partnership.pauses,
            Partnership.started_at,
        )
        .join(FIRST_PARTNER, FIRST_PARTNER.id == Partnership.first_member_id)
        .join(SECOND_PARTNER, SECOND_PARTNER.id == Partnership.second_member_id)
        .where(
            Partnership.cohort_id == cohort_id,
            Partnership.status == PartnershipStatus.ENDED,
            Partnership.end_reason == EndReason.COMPLETED,
            ~partner_left,
        )
        .order_by(Partnership.id)
    )
    # The JSON spans are read here rather than in SQL, which reads JSON arrays differently on each engine.
    return [
        Completed(pair_id, None if kind is PartnershipKind.PEER else guide, learner, _pause_open(pauses), at)
        for pair_id, kind, guide, learner, pauses, at in rows
    ]


def guides_of_completable(session: Session, cohort_id: int) -> list[str]:
    """The coaches and mentors of the cohort's pairs that run or were completed at its end: those whose
    places an end moved later may give back."""
    query = (
        select(Member.slack_user_id)
        .join(Partnership, Partnership.first_member_id == Member.id)
        .where(
            Partnership.cohort_id == cohort_id,
            Partnership.kind != PartnershipKind.PEER,
            or_(Partnership.status != PartnershipStatus.ENDED, Partnership.end_reason == EndReason.COMPLETED),
        )
        .distinct()
    )
    return sorted(session.scalars(query))


def reopen(session: Session, pairs: Sequence[Completed], now: datetime) -> None:
    """Let these completed pairs run again, their health looked at now. Nobody chose to end them: the end
    date did, so a pair a partner had paused comes back paused (its pause's span still open), the others
    active."""
    for status, which in (
        (PartnershipStatus.ACTIVE, [pair.id for pair in pairs if not pair.paused]),
        (PartnershipStatus.PAUSED, [pair.id for pair in pairs if pair.paused]),
    ):
        if which:
            session.execute(
                update(Partnership)
                .where(Partnership.id.in_(which))
                .values(status=status, end_reason=None, ended_at=None, health_due_at=now)
                .execution_options(synchronize_session=False)
            )


def _pause_open(stored: object) -> bool:
    """Whether a pair's stored pauses end with one still running (an ending leaves it open, a resume
    closes it): the pair was paused when its cohort completed it."""
    if not isinstance(stored, list) or not stored:
        return False
    last = stored[-1]
    return isinstance(last, list) and len(last) == 2 and last[0] is not None and last[1] is None
