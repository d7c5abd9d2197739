"""Welcome the people someone else put in a cohort (a cohort import, a workflow), once per membership.

Someone who joins with `/circles join` is answered on the spot; someone added by others would otherwise
first hear of the programme from a survey or a prompt. Each welcome waits in the outbox for its person's
window, keyed by the membership (the cohort, the person and when they joined), so importing a file again
or a workflow run taken in twice sends nothing more, and someone who left and is added back is welcomed
again as the new member they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from circles.messages import CohortWelcome, Host
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member
from circles.queries.cohorts import facilitator_ids
from circles.queries.outbox.copies import waiting_under
from circles.queries.outbox.deferral import supersede
from circles.services.outbox.enqueue import Outgoing, enqueue_many


def welcome_added(session: Session, cohort: Cohort, added: Sequence[Member], now: datetime) -> int:
    """Record the welcome of each member just added by someone else; how many were new."""
    if not added:
        return 0
    hosts = tuple(Host(user) for user in facilitator_ids(session, cohort.id))
    messages = [
        Outgoing(
            welcome_key(cohort.id, member.slack_user_id, member.joined_at),
            member.slack_user_id,
            CohortWelcome(
                cohort.name,
                cohort.slug,
                member.role,
                cohort.pairing_mode,
                cohort.prompt_weekday,
                cohort.checkin_every_weeks,
                hosts,
            ),
        )
        for member in added
    ]
    return enqueue_many(session, cohort.workspace_id, messages, due_at=now, now=now)


def withdraw_welcome(session: Session, cohort: Cohort, user_id: str) -> None:
    """The person left: a welcome still waiting for their window would greet someone no longer there."""
    supersede(session, waiting_under(session, [(cohort.workspace_id, _prefix(cohort.id, user_id))]))


def welcome_key(cohort_id: int, user_id: str, joined_at: datetime) -> str:
    """One key per membership: the same person joining the same cohort again is a new one."""
    joined = joined_at if joined_at.tzinfo else joined_at.replace(tzinfo=UTC)
    return f"{_prefix(cohort_id, user_id)}{joined.astimezone(UTC):%Y%m%dT%H%M%S%f}"


def _prefix(cohort_id: int, user_id: str) -> str:
    return f"welcome:{cohort_id}:{user_id}:"
