"""Messages still to be sent to someone else that name a person being erased: each is kept, since the other
person still needs it (a learner, that their request closed; a coach, that their copy of a request has
nothing left to press), and names nobody instead."""

from __future__ import annotations

from collections.abc import Iterable

from circles.messages import UNNAMED, RequestClosedNotice, RequestCopyClosed
from circles.persistence.models import OutboxMessage

# The kinds of message to another person that name someone by their Slack ID, and the argument that does.
NAMING = {RequestClosedNotice.TEMPLATE: "guide_user_id", RequestCopyClosed.TEMPLATE: "learner_user_id"}


def unname(rows: Iterable[OutboxMessage], user_id: str) -> None:
    """Name nobody in place of the person in these unsent rows (locked by the caller) that name them."""
    for row in rows:
        stored = row.payload
        if not isinstance(stored, dict) or row.channel == user_id:
            continue  # their own messages are dropped, not redrawn
        field, args = NAMING.get(str(stored.get("template"))), stored.get("args")
        if field is not None and isinstance(args, dict) and args.get(field) == user_id:
            row.payload = {**stored, "args": {**args, field: UNNAMED}}
