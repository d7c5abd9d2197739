"""Messages still to be sent to someone else that name a person being erased: each is kept, since the other
person still needs it (a learner, that their request closed; a coach, that their copy of a request has
nothing left to press; a facilitator, their copy of an alert redrawn as resolved), and names nobody instead.

A stored row is sent as it was recorded (`bot/messages` renders its payload at send time), so a redraw queued
before the erasure (at a leave, say) would name the person unless it is changed here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from circles.messages import UNNAMED, EscalationCard, RequestClosedNotice, RequestCopyClosed
from circles.persistence.models import OutboxMessage

# The kinds of message to another person that name someone by their Slack ID, and the argument that does.
NAMING = {RequestClosedNotice.TEMPLATE: "guide_user_id", RequestCopyClosed.TEMPLATE: "learner_user_id"}
ALERT_PARTNERS = ("first", "second")  # an alert's pair, by Slack ID


def unname(rows: Iterable[OutboxMessage], user_id: str) -> None:
    """Name nobody in place of the person in these unsent rows (locked by the caller) that name them."""
    for row in rows:
        stored = row.payload
        if not isinstance(stored, dict) or row.channel == user_id:
            continue  # their own messages are dropped, not redrawn
        template, args = str(stored.get("template")), stored.get("args")
        if not isinstance(args, dict):
            continue
        if template == EscalationCard.TEMPLATE:
            if (unnamed := _unnamed_alert(args, user_id)) is not None:
                row.payload = {**stored, "args": unnamed}
            continue
        field = NAMING.get(template)
        if field is not None and args.get(field) == user_id:
            row.payload = {**stored, "args": {**args, field: UNNAMED}}


def _unnamed_alert(args: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    """An alert's arguments with the person as one of its pair unnamed and their notes (their words) left
    out; None when it names them nowhere."""
    unnamed: dict[str, Any] = {field: UNNAMED for field in ALERT_PARTNERS if args.get(field) == user_id}
    notes = args.get("notes")
    if isinstance(notes, list):
        kept = [note for note in notes if not (isinstance(note, dict) and note.get("author") == user_id)]
        if len(kept) < len(notes):
            unnamed["notes"] = kept
    return {**args, **unnamed} if unnamed else None
