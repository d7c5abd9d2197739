"""A facilitator allows one pair whose partnership ended to be matched again, then sees a fresh preview."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipStatus
from circles.errors import NoEndedPartnership
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort, PairOverride, Partnership
from circles.services.matching.rematch import propose_rematch
from circles.services.matching.rounds import RoundPlan, facilitated_cohort, propose_round


def allow_pair_again(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    members: tuple[int, int],
    *,
    rematch_user_id: str | None,
    user_id: str,
    is_admin: bool,
    now: datetime,
) -> RoundPlan:
    """Record the override for the two members and propose again: the round, or the same re-match."""
    with uow:
        cohort = facilitated_cohort(uow.session, team_id, slug, user_id, is_admin)
        record_override(uow.session, cohort, members, user_id, now)
        if rematch_user_id:
            proposal = propose_rematch(uow.session, cohort, rematch_user_id, user_id=user_id, now=now)
        else:
            proposal = propose_round(uow.session, cohort, user_id=user_id, now=now)
        uow.commit()
        return proposal


def record_override(
    session: Session, cohort: Cohort, members: tuple[int, int], user_id: str, now: datetime
) -> None:
    """Allow the pair again from now on; only a pair whose partnership in this cohort ended qualifies."""
    first, second = sorted(members)
    ended = session.scalars(
        select(Partnership.id).where(
            Partnership.cohort_id == cohort.id,
            Partnership.status == PartnershipStatus.ENDED,
            ((Partnership.first_member_id == first) & (Partnership.second_member_id == second))
            | ((Partnership.first_member_id == second) & (Partnership.second_member_id == first)),
        )
    ).first()
    if ended is None or first == second:
        raise NoEndedPartnership(cohort.slug)
    where = (
        PairOverride.cohort_id == cohort.id,
        PairOverride.first_member_id == first,
        PairOverride.second_member_id == second,
    )
    override = session.scalars(select(PairOverride).where(*where)).one_or_none()
    if override is None:
        try:
            with session.begin_nested():  # two facilitators at once: the unique key keeps one row
                session.add(
                    PairOverride(
                        workspace_id=cohort.workspace_id,
                        cohort_id=cohort.id,
                        first_member_id=first,
                        second_member_id=second,
                        set_by=user_id,
                        allowed_at=now,
                    )
                )
            return
        except IntegrityError:
            override = session.scalars(select(PairOverride).where(*where)).one()
    # Allowed before and ended again since: this override covers the newer ending too.
    override.set_by, override.allowed_at = user_id, max(now, override.allowed_at)
