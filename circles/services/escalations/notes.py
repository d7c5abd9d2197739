"""The check-in notes partners chose to share with their facilitators, opened only for an escalation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from circles.messages.escalation import SharedNote
from circles.notes import NoteUnreadable
from circles.persistence.db import Session
from circles.queries.checkins import StoredNote
from circles.queries.escalation_cards import latest_shared_notes

logger = logging.getLogger(__name__)

# Opens a stored note (the notes key's decrypt); None where no key is wired, and then no note is shown.
Decrypt = Callable[[bytes], str]
RECENT_NOTES = 3
NOTE_LIMIT = 600  # a note longer than this is cut in the alert; the whole one stays in the check-in


@dataclass(frozen=True)
class NotesRead:
    """The shared notes that opened, oldest first, and how many of the latest ones did not."""

    notes: list[SharedNote]
    unavailable: int = 0


def shared_notes(
    session: Session, partnership_id: int, decrypt: Decrypt | None, *, limit: int = RECENT_NOTES
) -> list[SharedNote]:
    """The partnership's latest notes whose authors shared them and that open, oldest first."""
    return read_shared_notes(session, partnership_id, decrypt, limit=limit).notes


def read_shared_notes(
    session: Session, partnership_id: int, decrypt: Decrypt | None, *, limit: int = RECENT_NOTES
) -> NotesRead:
    """The partnership's latest shared notes, opened (see `read_shared_notes_of`)."""
    return read_shared_notes_of(session, [partnership_id], decrypt, limit=limit)[partnership_id]


def read_shared_notes_of(
    session: Session, partnership_ids: Collection[int], decrypt: Decrypt | None, *, limit: int = RECENT_NOTES
) -> dict[int, NotesRead]:
    """Each partnership's latest shared notes, opened, read together; unshared ones never, unreadable ones
    counted.

    A note that no longer opens (the key changed) must not stop the alert, nor vanish from it unseen:
    it is counted, the count logged (never whose note it is, nor a word of it) and shown as unavailable.
    """
    if decrypt is None:
        return {pair: NotesRead([]) for pair in partnership_ids}
    stored = latest_shared_notes(session, partnership_ids, limit)
    found = {pair: _opened(stored.get(pair, []), decrypt) for pair in partnership_ids}
    unavailable = sum(read.unavailable for read in found.values())
    if unavailable:
        logger.warning("%d shared check-in note(s) could not be opened; shown as unavailable", unavailable)
    return found


def _opened(stored: list[StoredNote], decrypt: Decrypt) -> NotesRead:
    notes, unavailable = [], 0
    for note in stored:
        try:
            text = decrypt(note.token).strip()
        except NoteUnreadable:
            unavailable += 1
            continue
        if text:
            cut = text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"
            notes.append(SharedNote(note.author_user_id, note.at, cut))
    return NotesRead(notes[::-1], unavailable)
