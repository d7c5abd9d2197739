"""Write planned check-ins and messages in a few set-based statements, each at most once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from circles.domain.planning import Planned
from circles.domain.schedule import Timing
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session
from circles.queries.checkins import (
    CheckInKey,
    NewCheckIn,
    add_checkins,
    delete_checkins,
    delete_unanswered,
    pairs_of,
)
from circles.queries.ids import chunks
from circles.queries.outbox.rows import NewMessage, add_new
from circles.queries.partnerships import hold_active


def write(session: Session, planned: list[Planned], now: datetime) -> tuple[list[Planned], int]:
    """Record what is new; returns the messages written and how many check-ins were created.

    Rows go in a fixed order so that two planners inserting the same rows at once wait for each other
    instead of deadlocking; keys already present are skipped by the database, not by a read before.
    """
    planned = sorted(planned, key=lambda p: p.key)
    new_checkins, ids = add_checkins(session, [_checkin(p) for p in planned if p.checkin is not None])
    planned = [_with_checkin_id(p, ids) for p in planned]
    written_keys = add_new(session, [_message(p) for p in planned], now)
    written = [p for p in planned if (p.workspace_id, p.key) in written_keys]
    # When a message's key was already taken under another instant (the person's time zone changed since
    # it was planned), the check-in row just made for the new instant would never be sent: remove it
    # rather than leave an unanswerable row behind.
    unsent = [
        ids[(p.workspace_id, *p.checkin, p.due_at)]
        for p in planned
        if p.checkin is not None and (p.workspace_id, p.key) not in written_keys
    ]
    orphans = sorted(set(unsent) & new_checkins)
    if orphans:
        delete_checkins(session, orphans)
    return written, len(new_checkins) - len(orphans)


def _checkin(planned: Planned) -> NewCheckIn:
    assert planned.checkin is not None
    partnership_id, member_id = planned.checkin
    return NewCheckIn(planned.workspace_id, partnership_id, member_id, planned.due_at)


def _with_checkin_id(planned: Planned, ids: dict[CheckInKey, int]) -> Planned:
    if planned.checkin is None:
        return planned
    checkin_id = ids[(planned.workspace_id, *planned.checkin, planned.due_at)]
    return replace(planned, args={**planned.args, "checkin_id": checkin_id})


def _message(planned: Planned) -> NewMessage:
    return NewMessage(
        planned.workspace_id,
        planned.key,
        "chat.postMessage",
        planned.channel,
        {"template": planned.template, "args": planned.args},
        planned.due_at,
        OutboxStatus.MISSED if planned.timing is Timing.MISSED else OutboxStatus.PENDING,
    )


def delete_unsent_checkins(session: Session, checkin_ids: list[int]) -> None:
    """Drop check-ins whose message was never sent, unless someone answered them anyway: their pairs held
    first, as an answer holds its pair, so an answer under way is stored before this looks."""
    if checkin_ids:
        hold_pairs(session, pairs_of(session, checkin_ids))  # those the expiry held already: no new wait
        delete_unanswered(session, checkin_ids)


def hold_pairs(session: Session, pair_ids: list[int]) -> None:
    """Hold these partnerships until the caller commits, in id order, a bounded number at a time."""
    for some in chunks(sorted(set(pair_ids))):
        hold_active(session, some)
