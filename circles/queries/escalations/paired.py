"""Alerts about someone just paired anew: whoever the new pair puts beside one of an alert's partners is kept
from that alert's pair from now on (`circles.domain.own_pairs`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from circles.persistence.models import Escalation, Member, Partnership
from circles.queries.ids import chunks


def alerts_beside_new_pairs(session: Session, partnership_ids: Sequence[int]) -> list[Escalation]:
    """Every escalation, resolved ones too, whose pair has a partner in one of these partnerships that health
    never looked at yet (new since the last watch), in the same workspace; oldest first. One statement per
    CHUNK ids, each bound once (the new pairs are named in a CTE the rest reads), read from the new pairs'
    people by index: a chunk without a new pair finds nothing."""
    found: dict[int, Escalation] = {}
    for chunk in chunks(sorted(set(partnership_ids))):
        new = (
            select(Partnership.first_member_id.label("first"), Partnership.second_member_id.label("second"))
            .where(Partnership.id.in_(chunk), Partnership.health_state.is_(None))
            .cte("new_pairs")
        )
        partners = select(new.c.first).union(select(new.c.second))
        people = select(Member.workspace_id, Member.slack_user_id).where(Member.id.in_(partners))
        memberships = (
            select(Member.id)
            .where(tuple_(Member.workspace_id, Member.slack_user_id).in_(people))
            .cte("beside")
        )
        theirs = select(memberships.c.id)
        beside = select(Partnership.id).where(
            or_(Partnership.first_member_id.in_(theirs), Partnership.second_member_id.in_(theirs))
        )
        found.update(
            (escalation.id, escalation)
            for escalation in session.scalars(select(Escalation).where(Escalation.partnership_id.in_(beside)))
        )
    return [found[escalation_id] for escalation_id in sorted(found)]
