"""A circle's conversation Slack no longer lets the app post in: archived, the app removed from it, deleted.

The failed prompt is recorded with what follows, in one transaction: the circle is dissolved, so no later
prompt is planned there (nor, its round being still the latest, into an earlier round's circles), and each
of the cohort's facilitators is told once, keyed by the circle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from circles.domain.text import mrkdwn
from circles.messages import CirclePrompt, MissedCirclePrompt, PlainNotice
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort
from circles.queries.circles import live_circles_in
from circles.queries.cohorts import facilitator_ids
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.queue import record_failed
from circles.services.planning.replan import replan

CONVERSATION_GONE = frozenset({"is_archived", "not_in_channel", "channel_not_found"})
CIRCLE_PROMPTS = frozenset({CirclePrompt.TEMPLATE, MissedCirclePrompt.TEMPLATE})
REASONS = {
    "is_archived": "its conversation was archived",
    "not_in_channel": "the app was removed from its conversation",
    "channel_not_found": "its conversation no longer exists",
}


def circle_conversation_gone(payload: dict[str, Any], error: str) -> bool:
    """Whether a failed row is a circle's prompt that Slack refused because its conversation is gone."""
    return error in CONVERSATION_GONE and payload.get("template") in CIRCLE_PROMPTS


def circle_conversation_lost(
    uow: UnitOfWork, row: tuple[int, int, int], channel: str, error: str, now: datetime
) -> bool:
    """Record the prompt `row` (id, claim's attempt, workspace) failed and dissolve the circles meeting in
    `channel`, telling their facilitators; False if the claim is no longer ours."""
    row_id, attempt, workspace_id = row
    with uow:
        session = uow.session
        if not record_failed(session, row_id, attempt, error):
            return False
        cohorts: set[int] = set()
        notices: list[Outgoing] = []
        for circle in live_circles_in(session, workspace_id, channel):
            circle.dissolved_at = now
            cohort = session.get_one(Cohort, circle.cohort_id)
            cohorts.add(cohort.id)
            lost = PlainNotice(
                f"Circles can no longer post in *{mrkdwn(circle.name)}* of *{mrkdwn(cohort.name)}*: "
                f"{REASONS[error]}. Its prompts have stopped there. Its members stay in the cohort: the "
                f"next round gives them a new circle, or re-match them now with `/circles match "
                f"{cohort.slug} @someone`."
            )
            notices += [
                Outgoing(f"circle:{circle.id}:conversation_lost:{user}", user, lost)
                for user in facilitator_ids(session, cohort.id)
            ]
        enqueue_many(session, workspace_id, notices, now, now)
        if cohorts:
            replan(session, sorted(cohorts))
        uow.commit()
        return True
