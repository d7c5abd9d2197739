"""Which due outbox rows a claim takes: each live workspace's in turn, for people the app can still reach,
leaving for later the messages that can wait to people whose Do Not Disturb is still to be asked about.
Urgent messages (circles.messages.URGENT: a typed message's answer, a request for support, an alert) come
first, behind nothing but their own conversation's earlier rows: never behind a fan-out."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, not_, or_, select, true, tuple_, union_all
from sqlalchemy.orm import Session, aliased

from circles.domain.delivery import CAN_WAIT
from circles.domain.vocabulary import OutboxStatus
from circles.messages import URGENT
from circles.persistence.models import OutboxMessage, Profile, RevokedTeam, Workspace

# How far back a claim looks for urgent rows: they are due when recorded (a retry moves them later), so
# one older than this waited through an outage and goes in due order, as everything else then does.
URGENT_FOR = timedelta(hours=1)


def again(session: Session, due: ColumnElement[bool]) -> ColumnElement[bool]:
    """`due` once more, on PostgreSQL: a row another claimer took after `chosen` was read is no longer due
    when its lock is granted, and is skipped. SQLite has one writer at a time; asked there, it would walk
    every due row (those of removed workspaces too) instead of the chosen ones."""
    return due if session.get_bind().dialect.name == "postgresql" else true()


def first_of_each(
    session: Session,
    now: datetime,
    limits: tuple[int, int],
    live: ColumnElement[bool],
    wanted: ColumnElement[bool],
    wall: datetime,
) -> Select[Any]:
    """The ids of up to `limit` rows to claim: the urgent conversations' rows (see `pulled`), then the rows
    whose claim expired by `wall` (the wall clock's time), then each live workspace's first row due by
    `now`, then each one's second, and so on, up to `share` of each: one workspace's backlog never crowds
    the others out of a claim, nor a backlog a message someone is waiting for.

    Walked from the live workspaces through the (workspace, status, due) index, so the rows of removed
    workspaces, however many wait, are never read."""
    limit, share = limits
    waiting = and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now, wanted)
    in_turn = (OutboxMessage.due_at, OutboxMessage.id)
    if session.get_bind().dialect.name == "postgresql":
        # Per workspace, its first rows in due order straight from the index: bounded by the share.
        first = (
            select(
                OutboxMessage.id, OutboxMessage.due_at, func.row_number().over(order_by=in_turn).label("turn")
            )
            .where(OutboxMessage.workspace_id == Workspace.id, waiting)
            .order_by(*in_turn)
            .limit(share)
            .lateral()
        )
        own: Select[Any] = (
            select(first.c.id, first.c.due_at, first.c.turn)
            .select_from(Workspace)
            .join(first, true())
            .where(live)
            .correlate(None)
        )
    else:  # SQLite has no LATERAL: the live workspaces' waiting rows, numbered per workspace
        turn = func.row_number().over(partition_by=OutboxMessage.workspace_id, order_by=in_turn)
        ranked = (
            select(OutboxMessage.id, OutboxMessage.due_at, turn.label("turn"))
            .where(OutboxMessage.workspace_id.in_(select(Workspace.id).where(live).correlate(None)), waiting)
            .subquery()
        )
        own = select(ranked.c.id, ranked.c.due_at, ranked.c.turn).where(ranked.c.turn <= share)
    expired = select(OutboxMessage.id, OutboxMessage.due_at, literal(0).label("turn")).where(
        OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.claimed_until < wall, wanted
    )
    either = union_all(own, expired.correlate(None), pulled(now, live, waiting)).subquery()
    # A row may come both in its turn and pulled: once, at its first place.
    places = (func.min(either.c.turn), func.min(either.c.due_at), either.c.id)
    return select(either.c.id).group_by(either.c.id).order_by(*places).limit(limit).correlate(None)


def pulled(
    now: datetime, live: ColumnElement[bool], waiting: ColumnElement[bool]
) -> Select[int, datetime, int]:
    """The waiting rows, as (id, due, turn -1), of the live workspaces' conversations an urgent row is due in
    (since URGENT_FOR before `now`): it comes first, behind nothing but what its conversation was due before
    it, which comes first with it (in its turn, -1, each goes in due order). The urgent rows are found in
    one walk of the (status, due) index over that time, their conversations' rows from their workspaces'."""
    row = aliased(OutboxMessage, name="urgent_row")
    recent = and_(row.status == OutboxStatus.PENDING, row.due_at > now - URGENT_FOR, row.due_at <= now)
    urgent = _template(row).in_(sorted(URGENT))
    in_live = row.workspace_id.in_(select(Workspace.id).where(live).correlate(None))
    lanes = select(row.workspace_id, row.channel).where(recent, urgent, in_live).correlate(None)
    lane = tuple_(OutboxMessage.workspace_id, OutboxMessage.channel)
    return (
        select(OutboxMessage.id, OutboxMessage.due_at, literal(-1).label("turn"))
        .where(
            OutboxMessage.workspace_id.in_(lanes.with_only_columns(row.workspace_id)),
            lane.in_(lanes),
            waiting,
        )
        .correlate(None)
    )


def _template(rows: Any) -> ColumnElement[str]:
    template: ColumnElement[str] = rows.payload["template"].as_string()
    return template


def wanted(leave: Collection[tuple[int, str]]) -> ColumnElement[bool]:
    """Whether a row may be claimed now: for someone reachable, and not a message that can wait to
    someone in `leave` (whose Do Not Disturb is still to be asked about)."""
    anyone = reachable()
    if not leave:
        return anyone
    can_wait = _template(OutboxMessage).in_(sorted(CAN_WAIT))
    pending = tuple_(OutboxMessage.workspace_id, OutboxMessage.channel).in_(sorted(leave))
    return and_(anyone, not_(and_(can_wait, pending)))


def reachable() -> ColumnElement[bool]:
    """Whether a row is for no one of a workspace its organisation's app can no longer reach."""
    # The people of lost workspaces are read once, into a set each due row is looked up in (a hashed
    # subplan on PostgreSQL). As an anti-join, PostgreSQL took them for one person (an organisation's people
    # are all in one tenant) and compared every waiting row with each of them; as a lookup per due row, its
    # cost estimate grew with the pending rows until the statement was compiled (JIT) on every claim.
    revoked = select(RevokedTeam.workspace_id, RevokedTeam.team_id)
    lost = select(Profile.workspace_id, Profile.slack_user_id).where(
        Profile.workspace_id.in_(select(RevokedTeam.workspace_id)),  # none read while none is lost
        tuple_(Profile.workspace_id, Profile.slack_team_id).in_(revoked),
    )
    return or_(
        OutboxMessage.channel.is_(None),
        tuple_(OutboxMessage.workspace_id, OutboxMessage.channel).not_in(lost),
    )
