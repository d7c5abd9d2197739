"""The away blocks health reads: every away, rotation or leave block of the partners in scope, at once."""

from __future__ import annotations

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from circles.domain.availability.absence import BLOCKS
from circles.domain.health.away import Spans
from circles.persistence.models import AwayBlock, Member, Partnership
from circles.queries.health.reads import Scope

Person = tuple[int, str]  # (workspace_id, Slack user ID)


def away_of_partners(session: Session, scope: Scope) -> dict[Person, Spans]:
    """Each partner's away blocks (from, back at), earliest first: those over too, since time away
    long ago still never counts as days without meeting."""
    pairs = select(Partnership.first_member_id, Partnership.second_member_id).where(*scope.pairs()).subquery()
    partners = select(Member.workspace_id, Member.slack_user_id).where(
        or_(Member.id.in_(select(pairs.c.first_member_id)), Member.id.in_(select(pairs.c.second_member_id)))
    )
    rows = session.execute(
        select(AwayBlock.workspace_id, AwayBlock.slack_user_id, AwayBlock.starts_at, AwayBlock.ends_at)
        .where(
            AwayBlock.kind.in_(sorted(BLOCKS)),
            AwayBlock.starts_at < AwayBlock.ends_at,
            tuple_(AwayBlock.workspace_id, AwayBlock.slack_user_id).in_(partners),
        )
        .order_by(AwayBlock.workspace_id, AwayBlock.slack_user_id, AwayBlock.starts_at)
    )
    found: dict[Person, Spans] = {}
    for workspace_id, user_id, starts_at, ends_at in rows:
        found[(workspace_id, user_id)] = (*found.get((workspace_id, user_id), ()), (starts_at, ends_at))
    return found
