"""The copies a message went out as: one outbox row per recipient under a shared key prefix, and how each
ended. Read for many messages at once: one statement per PART of prefixes."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.keys import key_starts_with

# A copy that reached its person, or may still: sent, waiting or being sent.
ALIVE = frozenset({OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENT})
PART = 400  # prefixes per statement: each is a range of the key's index, and three bound parameters

Prefixes = Collection[tuple[int, str]]  # (workspace id, key prefix)


@dataclass(frozen=True)
class Copy:
    """One row under a prefix: whom it was for, and how it stands."""

    prefix: str
    channel: str | None
    status: OutboxStatus
    id: int

    @property
    def alive(self) -> bool:
        return self.status in ALIVE


def next_holders(
    copies: Mapping[str, Copy], facilitators: Collection[str], admins: Collection[str]
) -> tuple[list[str], bool] | None:
    """Who a message whose copies reached nobody goes to next, by each person's latest copy: the
    facilitators not tried yet, else the admins not tried yet (True: the admins; the list may be empty).
    None while a copy to any of them reached them or may still."""
    if any(copies[user].alive for user in (*facilitators, *admins) if user in copies):
        return None
    failed = {person for person, copy in copies.items() if not copy.alive}
    to = _not_tried(facilitators, failed)
    return (to, False) if to else (_not_tried(admins, failed), True)


def holders_under(
    session: Session, workspace_id: int, prefix: str, facilitators: Collection[str], admins: Collection[str]
) -> tuple[list[str], bool] | None:
    """`next_holders` of the message whose copies are keyed `<prefix><user>`, by the copies made so far."""
    copies = latest_by_person(copies_under(session, {(workspace_id, prefix)})).get(prefix, {})
    return next_holders(copies, facilitators, admins)


def _not_tried(people: Collection[str], failed: Collection[str]) -> list[str]:
    return sorted({person for person in people if person and person not in failed})


@dataclass(frozen=True)
class SentCopy:
    """One sent row under a prefix: its key and what sending it returned (channel, ts, …)."""

    prefix: str
    idempotency_key: str
    result: dict[str, Any] | None


def copies_under(session: Session, prefixes: Prefixes) -> list[Copy]:
    """The rows whose key starts with one of these (workspace, prefix), oldest first."""
    columns = (OutboxMessage.channel, OutboxMessage.status, OutboxMessage.id)
    found = [
        Copy(prefix, channel, OutboxStatus(status), row_id)
        for part in _parts(prefixes)
        for prefix, (channel, status, row_id) in _under(session, part, columns)
    ]
    return sorted(found, key=lambda copy: copy.id)


def sent_under(session: Session, prefixes: Prefixes) -> dict[str, list[SentCopy]]:
    """The sent rows under each of these (workspace, prefix), by prefix."""
    columns = (OutboxMessage.idempotency_key, OutboxMessage.result)
    found: dict[str, list[SentCopy]] = {}
    for part in _parts(prefixes):
        for prefix, (key, result) in _under(
            session, part, columns, OutboxMessage.status == OutboxStatus.SENT
        ):
            found.setdefault(prefix, []).append(SentCopy(prefix, key, result))
    return found


@dataclass(frozen=True)
class Keyed:
    """One row under a prefix, by its whole key: how it stands."""

    key: str
    status: OutboxStatus

    @property
    def alive(self) -> bool:
        return self.status in ALIVE


def keyed_under(session: Session, prefixes: Prefixes) -> list[Keyed]:
    """The rows under these (workspace, prefix), however they stand, by their keys."""
    columns = (OutboxMessage.idempotency_key, OutboxMessage.status)
    return [
        Keyed(key, OutboxStatus(status))
        for part in _parts(prefixes)
        for _, (key, status) in _under(session, part, columns)
    ]


def waiting_under(session: Session, prefixes: Prefixes) -> list[int]:
    """The rows under these (workspace, prefix) not sent yet, locked: their ids. A claimed one counts: a
    sender holding it may fail and put it back to be sent later.

    A row a sender is claiming at this moment is skipped, as the claim's own lock decides.
    """
    found: list[int] = []
    for part in _parts(prefixes):
        query = (
            select(OutboxMessage.id)
            .where(_any_of(part), OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]))
            .order_by(OutboxMessage.id)
            .with_for_update(skip_locked=True)
        )
        found += session.scalars(query)
    return found


def latest_by_person(copies: Collection[Copy]) -> dict[str, dict[str, Copy]]:
    """Per prefix, each recipient's latest copy."""
    found: dict[str, dict[str, Copy]] = {}
    for copy in sorted(copies, key=lambda c: c.id):
        if copy.channel is not None:
            found.setdefault(copy.prefix, {})[copy.channel] = copy
    return found


def _parts(prefixes: Prefixes) -> Iterator[list[tuple[int, str]]]:
    wanted = sorted(set(prefixes))
    for start in range(0, len(wanted), PART):
        yield wanted[start : start + PART]


def _any_of(prefixes: Sequence[tuple[int, str]]) -> ColumnElement[bool]:
    return or_(
        *(
            and_(
                OutboxMessage.workspace_id == workspace_id,
                key_starts_with(prefix),
            )
            for workspace_id, prefix in prefixes
        )
    )


def _under(
    session: Session,
    prefixes: Sequence[tuple[int, str]],
    columns: Sequence[Any],
    *where: ColumnElement[bool],
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """The rows under these prefixes, oldest first, each with the prefix its key starts with."""
    rows = session.execute(
        select(OutboxMessage.workspace_id, OutboxMessage.idempotency_key, *columns)
        .where(_any_of(prefixes), *where)
        .order_by(OutboxMessage.id)
    )
    for workspace_id, key, *values in rows:
        for scope, prefix in prefixes:
            if scope == workspace_id and key.startswith(prefix):
                yield prefix, tuple(values)
                break
