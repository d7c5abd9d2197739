"""A facilitator allows one pair whose partnership ended to be matched again, then sees a fresh preview."""

from __future__ import annotations

from datetime import datetime

from circles.domain.vocabulary import PartnershipStatus
from circles.errors import NoEndedPartnership, StalePreview
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries.pair_overrides import add_override_once
from circles.queries.partnerships import pair_rows
from circles.services.matching.ended_pairs import partnership_history
from circles.services.matching.rematch import propose_rematch
from circles.services.matching.rounds import RoundPlan, keep_proposal, propose_round


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
    ending: int | None = None,
) -> RoundPlan:
    """Record the override for the two members and propose again: the round, or the same re-match.

    `ending` is the ended partnership the preview showed (its button carries it): when the pair has been
    formed again since, it is out of date, and nothing is allowed."""

    def propose(session: Session, cohort: Cohort) -> RoundPlan:
        if ending is not None:
            refuse_out_of_date(session, cohort, members, ending, rematch_user_id)
        record_override(session, cohort, members, user_id, now)
        if rematch_user_id:
            return propose_rematch(session, cohort, rematch_user_id, user_id=user_id, now=now)
        return propose_round(session, cohort, user_id=user_id, now=now)

    return keep_proposal(uow, team_id, slug, user_id, is_admin, propose)


def record_override(
    session: Session, cohort: Cohort, members: tuple[int, int], user_id: str, now: datetime
) -> None:
    """Allow the pair again from now on; only a pair whose partnership in this cohort ended qualifies."""
    first, second = sorted(members)
    rows = pair_rows(session, cohort.id, (first, second))
    if first == second or not any(row.status == PartnershipStatus.ENDED for row in rows):
        raise NoEndedPartnership(cohort.slug)
    override, added = add_override_once(
        session, cohort.workspace_id, cohort.id, (first, second), user_id, now
    )
    if not added:
        # Allowed before and ended again since: this override covers the newer ending too.
        override.set_by, override.allowed_at = user_id, max(now, override.allowed_at)


def refuse_out_of_date(
    session: Session, cohort: Cohort, members: tuple[int, int], ending: int, rematch_user_id: str | None
) -> None:
    """Refuse a press for an ending that is no longer what keeps the pair apart: the pair runs again, or ended
    again since (an override records only when, so it would lift the newer ending too)."""
    first, second = sorted(members)
    pairs = partnership_history(session, cohort, (first, second))
    latest = [e.id for e in (*pairs.ended.apart, *pairs.ended.allowed)]
    if pairs.running or (latest and latest != [ending]):
        raise StalePreview(cohort.slug, rematch_user_id)
