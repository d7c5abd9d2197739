"""Slack's own signals: who is due a Do Not Disturb look before sending, and what Slack said about them.

An out-of-office or leave status (a holiday emoji, "OOO", "on leave", …) holds personal messages only
while it has an expiry: a status with none is never read as an absence, so nobody is held back forever
by a status they forgot.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from circles.domain.delivery import CAN_WAIT
from circles.persistence.db import UnitOfWork
from circles.queries.signals import (
    Recipient,
    due_unchecked,
    store_dnd,
    store_dnd_unanswered,
    store_status_away,
)
from circles.services.intake.workspaces import find_workspace

__all__ = [
    "DND_FRESH_FOR",
    "Recipient",
    "SlackStatus",
    "away_status",
    "due_for_dnd",
    "record_dnd",
    "record_dnd_unanswered",
    "record_status",
]

# A Do Not Disturb look is good for this long; past it, the next due message asks again.
DND_FRESH_FOR = timedelta(minutes=15)
AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":airplane:",
        ":airplane_departure:",
        ":face_with_thermometer:",
        ":no_entry:",
        ":hospital:",
        ":beach_with_umbrella:",
        ":desert_island:",
        ":mask:",
        ":sick:",
        ":baby:",
    }
)
_AWAY_WORDS = re.compile(
    r"\b(out of (the )?office|ooo|on leave|annual leave|sick leave|parental leave|vacation|holidays?|"
    r"on pto|pto)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SlackStatus:
    """What a person's Slack status says, as plain values."""

    emoji: str = ""
    text: str = ""
    expiration: int = 0  # Unix seconds; 0 means it never expires


def away_status(status: SlackStatus, now: datetime) -> tuple[datetime, datetime] | None:
    """(since, until) when the status says out of office or on leave and expires later; else None."""
    said_away = status.emoji.strip().lower() in AWAY_EMOJI or bool(_AWAY_WORDS.search(status.text))
    if not said_away or status.expiration <= 0:
        return None
    until = datetime.fromtimestamp(status.expiration, UTC)
    return (now, until) if until > now else None


def record_status(uow: UnitOfWork, team_id: str, user_id: str, status: SlackStatus, now: datetime) -> bool:
    """Keep a person's out-of-office or leave status (or its end); False when they have no profile."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return False
        changed = store_status_away(uow.session, workspace.id, user_id, away_status(status, now))
        uow.commit()
        return changed


def due_for_dnd(uow: UnitOfWork, now: datetime, limit: int = 500) -> list[Recipient]:
    """People with a personal message due now whose Do Not Disturb was not looked at in the last minutes."""
    with uow:
        found = due_unchecked(uow.session, now, CAN_WAIT, now - DND_FRESH_FOR, limit)
        uow.commit()
        return found


def record_dnd(
    uow: UnitOfWork, workspace_id: int, found: Mapping[str, datetime | None], now: datetime
) -> None:
    """Keep until when each person has Do Not Disturb or a snooze (None: not now), as looked at `now`."""
    with uow:
        store_dnd(uow.session, workspace_id, found, now)
        uow.commit()


def record_dnd_unanswered(uow: UnitOfWork, workspace_id: int, users: Collection[str], now: datetime) -> None:
    """Slack did not answer about these people: keep what it said before, and look again in a while."""
    with uow:
        store_dnd_unanswered(uow.session, workspace_id, users, now)
        uow.commit()
