"""The check-in notes partners chose to share with their facilitators, opened only for an escalation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from circles.notes import NoteUnreadable
from circles.persistence.db import Session
from circles.queries.checkins import latest_shared_notes

logger = logging.getLogger(__name__)

# Opens a stored note (the notes key's decrypt); None where no key is wired, and then no note is shown.
Decrypt = Callable[[bytes], str]
RECENT_NOTES = 3
NOTE_LIMIT = 600  # a note longer than this is cut in the alert; the whole one stays in the check-in


@dataclass(frozen=True)
class SharedNote:
    author_user_id: str
    at: datetime
    text: str


def shared_notes(
    session: Session, partnership_id: int, decrypt: Decrypt | None, *, limit: int = RECENT_NOTES
) -> list[SharedNote]:
    """The partnership's latest notes whose authors shared them, oldest first; unshared ones never."""
    if decrypt is None:
        return []
    notes = []
    for stored in latest_shared_notes(session, partnership_id, limit):
        text = _opened(decrypt, stored.token)
        if text:
            cut = text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"
            notes.append(SharedNote(stored.author_user_id, stored.at, cut))
    return notes[::-1]


def _opened(decrypt: Decrypt, token: bytes) -> str:
    try:
        return decrypt(token).strip()
    except NoteUnreadable:  # a note that no longer opens (key changed) must not stop the alert
        logger.warning("a shared check-in note could not be opened and was left out of an escalation")
        return ""
