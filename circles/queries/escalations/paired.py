"""Alerts about someone just paired anew: whoever the new pair puts beside one of an alert's partners is kept
from that alert's pair from now on (`circles.domain.own_pairs`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from circles.persistence.models import Escalation, Member, Partnership
from circles.queries.aliases import FIRST_PARTNER, SECOND_PARTNER
from circles.queries.ids import chunks


def alerts_beside_new_pairs(session: Session, partnership_ids: Sequence[int]) -> list[Escalation]:
    """Every escalation, resolved ones too, whose pair has a partner in one of these partnerships that health
    never looked at yet (new since the last watch), in the same workspace; oldest first. One statement per
    CHUNK ids, read from the new pairs' people by index: a chunk without a new pair finds nothing."""
    first, second = FIRST_PARTNER, SECOND_PARTNER
    found: dict[int, Escalation] = {}
    for chunk in chunks(sorted(set(partnership_ids))):
        new = Partnership.id.in_(chunk), Partnership.health_state.is_(None)
        people = (
            select(first.workspace_id, first.slack_user_id)
            .join(Partnership, Partnership.first_member_id == first.id)
            .where(*new)
            .union(
                select(second.workspace_id, second.slack_user_id)
                .join(Partnership, Partnership.second_member_id == second.id)
                .where(*new)
            )
        )
        memberships = select(Member.id).where(tuple_(Member.workspace_id, Member.slack_user_id).in_(people))
        beside = select(Partnership.id).where(
            or_(Partnership.first_member_id.in_(memberships), Partnership.second_member_id.in_(memberships))
        )
        found.update(
            (escalation.id, escalation)
            for escalation in session.scalars(select(Escalation).where(Escalation.partnership_id.in_(beside)))
        )
    return [found[escalation_id] for escalation_id in sorted(found)]
