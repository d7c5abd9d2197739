"""Hold claimable rows back until their people can be reached, and supersede what a released one replaces.

Runs inside the claim's transaction on rows it has locked, in a fixed number of queries per batch: the
members of the batch's circles, everyone's reachability, and (when a held-back row is released) the
unsent rows of the same people. A held-back row stays pending at its new due time, not counted as an
attempt, and remembers when it was first due in `deferred_from`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from circles.domain.delivery import CAN_WAIT, CIRCLE_PROMPT, Unsent, circle_hold, personal_hold, superseded
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.checkins import delete_unanswered
from circles.queries.outbox.deferral import Person, circle_members, lock_waiting, supersede
from circles.services.availability.reach import reaches
from circles.services.outbox.checkins import checkin_of


def hold_back(session: Session, rows: list[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked, claimable rows, hold back those whose people cannot be reached now and supersede
    those a released, held-back row replaces; returns the ids of both, which are not to be sent now."""
    circles = {row.id: circle_id for row in rows if (circle_id := _circle_of(row)) is not None}
    members = circle_members(session, set(circles.values()))
    people = {person for row in rows if (person := recipient(row)) is not None}
    people |= {person for group in members.values() for person in group}
    reach = reaches(session, people, now) if people else {}
    before = {row.id: _unsent(row) for row in rows}
    held: set[int] = set()
    for row in rows:
        if (person := recipient(row)) is not None:
            until = personal_hold(reach[person], now)
        elif row.id in circles:
            group = [reach[p] for p in members.get(circles[row.id], [])]
            until = circle_hold(group, now, before[row.id].first_due)
        else:
            until = None
        if until is not None:
            _hold(row, until)
            held.add(row.id)
    released = [before[row.id] for row in rows if row.id not in held]
    deferred = {row.id for row in rows if row.id not in held and row.deferred_from is not None}
    return held | _supersede(session, released, deferred, before.values())


def recipient(row: OutboxMessage) -> Person | None:
    """The person a personal message that can wait is for: its DM's user, or None for any other row."""
    if _template(row) in CAN_WAIT and row.channel and row.channel[:1] in ("U", "W"):
        return (row.workspace_id, row.channel)
    return None


def _hold(row: OutboxMessage, until: datetime) -> None:
    if row.deferred_from is None:
        row.deferred_from = row.due_at
    # An expired claim held back goes back to waiting: its attempts are kept, none is added.
    row.status, row.claimed_until, row.due_at = OutboxStatus.PENDING, None, until


def _supersede(
    session: Session, released: list[Unsent], deferred: set[int], batch: Iterable[Unsent]
) -> set[int]:
    """Supersede the unsent rows (of the batch, or waiting) that released, once held-back rows replace."""
    if not deferred:
        return set()
    claimed = list(batch)
    conversations = {(m.workspace_id, m.channel) for m in released if m.id in deferred and m.channel}
    waiting = [_unsent(row) for row in lock_waiting(session, conversations, {m.id for m in claimed})]
    replaced = superseded(released, [*claimed, *waiting], deferred)
    payloads = supersede(session, replaced)
    delete_unanswered(session, [checkin for payload in payloads if (checkin := checkin_of(payload))])
    return replaced


def _unsent(row: OutboxMessage) -> Unsent:
    first_due = row.deferred_from or row.due_at
    return Unsent(row.id, row.workspace_id, row.channel, row.idempotency_key, _template(row), first_due)


def _template(row: OutboxMessage) -> str:
    template = (row.payload or {}).get("template")
    return template if isinstance(template, str) else ""


def _circle_of(row: OutboxMessage) -> int | None:
    """A circle prompt's circle, from its key circle_prompt:{circle_id}:{day}."""
    if _template(row) != CIRCLE_PROMPT:
        return None
    parts = row.idempotency_key.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
