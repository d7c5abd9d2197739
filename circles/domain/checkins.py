"""What a check-in answer is, and the rules it must keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

RATINGS = range(1, 6)
NOTE_MAX_CHARS = 2000


@dataclass(frozen=True)
class CheckInAnswer:
    """One partner's answer: how it is going (1–5), whether they met, a note, and what they ask for."""

    rating: int
    met: bool | None = None  # None: not said (a quick rating from the message)
    note: str | None = None
    share_note: bool = False  # the note reaches the facilitators only when this is true
    wants_support: bool = False

    @property
    def clean_note(self) -> str | None:
        """The note without surrounding blanks; None when nothing was written."""
        note = (self.note or "").strip()
        return note or None

    @property
    def shares_note(self) -> bool:
        """Sharing means something only when there is a note to share."""
        return self.share_note and self.clean_note is not None


def answer_problems(answer: CheckInAnswer) -> dict[str, str]:
    """What is wrong with an answer, by field; empty when it can be stored."""
    problems: dict[str, str] = {}
    if answer.rating not in RATINGS:
        problems["rating"] = "Choose a rating from 1 to 5."
    note = answer.clean_note
    if note is not None and len(note) > NOTE_MAX_CHARS:
        problems["note"] = f"Keep the note under {NOTE_MAX_CHARS} characters (it has {len(note)})."
    return problems


def open_after_completion(
    ended_at: datetime | None,
    due_at: datetime,
    asked_at: datetime | None,
    answer_within_days: int,
    now: datetime,
) -> bool:
    """Whether a check-in of a pair completed at its programme's end still takes an answer: one asked
    before the pair completed, while its days to answer last (the last day's, answered the next morning)."""
    asked = asked_at or due_at
    return ended_at is not None and due_at <= ended_at and now <= asked + timedelta(days=answer_within_days)
