"""What a person's held messages wait for changed (their time zone, working hours or away blocks): the
personal messages held for their next window are brought forward to now, so that the next claim works that
window out again (`deferral`). A return earlier than planned releases them then, beside the return's
catch-up, which supersedes what it replaces; a later one holds them again. A held check-in question's
answer window counts from now (while held, it counted from the time it was held until)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.persistence.db import Session
from circles.queries.checkins import ask_later
from circles.queries.outbox.rows import bring_held_forward
from circles.services.outbox.checkins import checkin_of


def reconsider_held(session: Session, workspace_id: int, user_ids: Sequence[str], now: datetime) -> None:
    """Bring these people's held messages forward to now: a statement per 900 people (a rota's import),
    and one more when held check-in questions are among them."""
    if isinstance(user_ids, str):  # one person is a list of one, never the letters of their ID
        raise TypeError("user_ids: a sequence of Slack user IDs")
    moved = bring_held_forward(session, workspace_id, user_ids, now)
    ask_later(session, [(checkin, now) for payload in moved if (checkin := checkin_of(payload)) is not None])
