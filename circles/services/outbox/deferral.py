"""Hold claimable rows back until their people can be reached, and supersede what a released one replaces.

Runs inside the claim's transaction on rows it has locked, in a fixed number of queries per batch: the
members of the batch's circles and the partners of its pairs' conversation starters (which wait, as a
circle's prompt does, until both can read), everyone's reachability, and (when a held-back row is
released) the unsent rows of the same people. A held-back row stays pending at its new due time, not
counted as an attempt, and remembers when it was first due in `deferred_from`; a held check-in question's
check-in learns that new time (one statement), from which its answer window counts. A daily digest held
back past its own day is superseded instead of sent when the person's next one comes later that day at an
hour they can be reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from circles.domain.availability import Reach
from circles.domain.delivery import (
    CAN_WAIT,
    CIRCLE_PROMPT,
    DAILY,
    Unsent,
    circle_hold,
    outdated_daily,
    personal_hold,
    superseded,
)
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.checkins import ask_later, delete_unanswered
from circles.queries.outbox.deferral import Person, lock_waiting, next_digests, paired, seated, supersede
from circles.queries.outbox.rows import starter_pair
from circles.services.availability.reach import Reaches, reaches_by_cohort
from circles.services.outbox.checkins import checkin_of


def hold_back(session: Session, rows: list[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked, claimable rows, hold back those whose people cannot be reached now and supersede
    those a released, held-back row replaces; returns the ids of both, which are not to be sent now."""
    circles = {row.id: circle_id for row in rows if (circle_id := _circle_of(row)) is not None}
    members = seated(session, set(circles.values()), now)
    pairs = {row.id: pair_id for row in rows if (pair_id := _pair_of(row)) is not None}
    partners = paired(session, set(pairs.values()), now)
    people = {person for row in rows if (person := recipient(row)) is not None}
    people |= {person for _, group in [*members.values(), *partners.values()] for person in group}
    reach = reaches_by_cohort(session, people, now)
    before = {row.id: _unsent(row) for row in rows}
    stale = _stale_digests(session, rows, reach, now)
    held: set[int] = set()
    asked_later: list[tuple[int, datetime]] = []
    for row in rows:
        if row.id in stale:
            continue
        if (person := recipient(row)) is not None:
            until = personal_hold(_reach_for(row, person, reach), now)
        elif row.id in circles:
            cohort_id, group = members.get(circles[row.id], (None, []))
            until = circle_hold([reach.of(p, cohort_id) for p in group], now, before[row.id].first_due)
        elif row.id in pairs:  # a pair's conversation starter, like a circle's prompt: when both can read
            cohort_id, group = partners.get(pairs[row.id], (None, []))
            until = circle_hold([reach.of(p, cohort_id) for p in group], now, before[row.id].first_due)
        else:
            until = None
        if until is not None:
            _hold(row, until)
            held.add(row.id)
            if (checkin := checkin_of(row.payload)) is not None:
                asked_later.append((checkin, until))
    # A held question's answer window counts from when it goes, never from when it was planned.
    ask_later(session, asked_later)
    going = [row for row in rows if row.id not in held | stale]
    released = [before[row.id] for row in going]
    deferred = {row.id for row in going if row.deferred_from is not None}
    return held | stale | _supersede(session, released, deferred, before.values())


def recipient(row: OutboxMessage) -> Person | None:
    """The person a personal message that can wait is for: its DM's user, or None for any other row."""
    if _template(row) in CAN_WAIT and row.channel and row.channel[:1] in ("U", "W"):
        return (row.workspace_id, row.channel)
    return None


def _reach_for(row: OutboxMessage, person: Person, reach: Reaches) -> Reach:
    """The person's reach by the clock of the cohort the message is about, when it names one."""
    member_id = _member_of(row)
    cohort_id = reach.cohort_of_membership(person, member_id) if member_id is not None else None
    if cohort_id is None and row.idempotency_key.startswith("welcome:"):  # welcome:{cohort}:{user}:…
        cohort_id = _number(row.idempotency_key.split(":"), 1)
    return reach.of(person, cohort_id)


def _member_of(row: OutboxMessage) -> int | None:
    """The membership a personal message was planned for: a check-in (checkin:{pair}:{member}:…), a session
    idea (coach_idea:{member}:…), a circle's catch-up (circle_prompt_catch_up:{circle}:{member}:…), a
    digest (its first running membership, whose cohort's clock planned it)."""
    template, parts = _template(row), row.idempotency_key.split(":")
    if template == "coach_digest":
        member_id = ((row.payload or {}).get("args") or {}).get("member_id")
        return member_id if isinstance(member_id, int) else None
    if template == "coach_idea" and parts[0] == "coach_idea":
        return _number(parts, 1)
    if template in ("checkin", "circle_prompt_catch_up") and parts[0] == template:
        return _number(parts, 2)
    return None


def _number(parts: list[str], at: int) -> int | None:
    return int(parts[at]) if len(parts) > at and parts[at].isascii() and parts[at].isdigit() else None


def _stale_digests(session: Session, rows: list[OutboxMessage], reach: Reaches, now: datetime) -> set[int]:
    """Supersede the held-back daily messages whose own day is over where their person is and whose next
    one comes later today, when they can be reached; their ids."""
    held = {row.id: person for row in rows if row.deferred_from is not None and (person := recipient(row))}
    daily = {row.id for row in rows if row.id in held and _unsent(row).template in DAILY}
    coming = next_digests(session, {held[row_id] for row_id in daily})
    stale = {
        row.id
        for row in rows
        if row.id in daily
        and outdated_daily(_unsent(row), _reach_for(row, held[row.id], reach), now, coming.get(held[row.id]))
    }
    supersede(session, stale)
    return stale


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


def _pair_of(row: OutboxMessage) -> int | None:
    """A conversation starter's pair, from its key pair_prompt:{pair}:{day}."""
    return starter_pair(row.idempotency_key) if _template(row) == "pair_prompt" else None
