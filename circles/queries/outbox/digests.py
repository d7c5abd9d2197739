"""The digests recorded lately for some people, which the planner weighs before recording another."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from circles.domain.digests import DIGEST_KEYS, Made
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from circles.queries.ids import CHUNK
from circles.queries.outbox.keys import beyond

Person = tuple[int, str]  # (workspace_id, Slack user ID)
GOING = (OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENT)
# Two statement parameters a person; the people of one statement fit any database's limit on them.
PEOPLE_A_STATEMENT = CHUNK // 2


def digests_made(session: Session, people: Collection[Person], since: datetime) -> dict[Person, list[Made]]:
    """Each of these people's digests due since `since` (a digest is due from when it is made, or later
    when held back), whatever became of them. One query for up to PEOPLE_A_STATEMENT people."""
    wanted = sorted(set(people))
    found: dict[Person, list[Made]] = defaultdict(list)
    for start in range(0, len(wanted), PEOPLE_A_STATEMENT):
        chunk = wanted[start : start + PEOPLE_A_STATEMENT]
        rows = session.execute(
            select(
                OutboxMessage.workspace_id,
                OutboxMessage.channel,
                OutboxMessage.idempotency_key,
                OutboxMessage.created_at,
                OutboxMessage.status,
            ).where(or_(*(_recent_keys(person, since) for person in chunk)), OutboxMessage.due_at >= since)
        ).all()
        for workspace_id, user_id, key, at, status in rows:
            found[(workspace_id, str(user_id))].append(Made(key, at, status in GOING))
    return dict(found)


def _recent_keys(person: Person, since: datetime) -> ColumnElement[bool]:
    """The person's digest keys from the day before `since` on, as one range of the unique (workspace, key)
    index: digest:{user}:{day} sorts by its day, and a key with a zone (digest:{user}:{zone}:{day}, after a
    move west) after every day, since a zone's name begins with a letter. The person's older history is
    never read."""
    workspace_id, user_id = person
    prefix = f"{DIGEST_KEYS}{user_id}:"
    first = f"{prefix}{(since - timedelta(days=1)).date().isoformat()}"
    key = OutboxMessage.idempotency_key
    return and_(OutboxMessage.workspace_id == workspace_id, key >= first, key < (beyond(prefix) or prefix))
