"""Outbox rows found by what their arguments or keys say, whatever their status, and deleted: for erasure,
the notices that tell of someone's absence or pause, and the answers to what they typed. One statement,
the arguments read inside the stored JSON (on SQLite and PostgreSQL alike); a sealed payload's arguments
read as nothing, so it is never matched. And the rows done with, found by their keys, that an erasure
unnames."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.keys import key_starts_with


@dataclass(frozen=True)
class Naming:
    """The rows of one kind (`template`) whose argument `field` is `value`; with `to`, only those sent to
    that conversation."""

    template: str
    field: str
    value: str
    to: str | None = None


def delete_naming(session: Session, workspace_id: int, namings: Sequence[Naming]) -> int:
    """Delete the workspace's rows, sent or not, that match any of `namings`; returns how many went. Rows a
    dispatcher is claiming are waited for (the delete locks them)."""
    if not namings:
        return 0
    deleted = session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.workspace_id == workspace_id, or_(*(_matching(n) for n in namings)))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(deleted, "rowcount", 0) or 0)


def delete_keyed(session: Session, workspace_id: int, prefix: str) -> int:
    """Delete the workspace's rows, sent or not, whose key starts with `prefix` (never empty); returns how
    many went."""
    if not prefix:
        return 0
    deleted = session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.workspace_id == workspace_id, key_starts_with(prefix))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(deleted, "rowcount", 0) or 0)


DONE = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.MISSED, OutboxStatus.SUPERSEDED)
PREFIXES = 100  # key ranges in one statement


def done_keyed(
    session: Session, workspace_id: int, prefixes: Collection[str], not_to: str
) -> list[OutboxMessage]:
    """The workspace's rows done with (sent, or never to be) whose key starts with one of `prefixes`, but
    those to `not_to`, locked, in id order: one statement per PREFIXES prefixes, each a range of the unique
    (workspace, key) index, never a walk of the workspace's outbox."""
    ordered, found = sorted(set(filter(None, prefixes))), list[OutboxMessage]()
    for start in range(0, len(ordered), PREFIXES):
        found += session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                or_(*(key_starts_with(prefix) for prefix in ordered[start : start + PREFIXES])),
                OutboxMessage.status.in_(DONE),
                OutboxMessage.channel.is_distinct_from(not_to),
            )
            .order_by(OutboxMessage.id)
            .with_for_update(key_share=True)
        )
    return found


def _matching(naming: Naming) -> ColumnElement[bool]:
    payload = OutboxMessage.payload
    found = and_(
        payload["template"].as_string() == naming.template,
        payload[("args", naming.field)].as_string() == naming.value,
    )
    return found if naming.to is None else and_(OutboxMessage.channel == naming.to, found)
