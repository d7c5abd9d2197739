"""A circle's conversation Slack no longer lets the app post in: archived, the app removed from it, deleted;
or where posting is restricted (a workspace or channel setting that an admin can change back).

The failed prompt is recorded with what follows, in one transaction, and each of the cohort's facilitators
who can read it now is told once, keyed by the circle; the admins are, when none of them can
(`facilitators_or_admins`). A conversation gone dissolves the circle, so no later prompt is planned
there (nor, its round being still the latest, into an earlier round's circles); a restricted one keeps it,
its prompts failing quietly until an admin lets Circles post there again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from circles.domain.text import mrkdwn
from circles.messages import CirclePrompt, MissedCirclePrompt, PlainNotice
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Circle, Cohort
from circles.queries.circles import live_circles_in
from circles.queries.cohorts.facilitators import facilitators_or_admins
from circles.services.escalations.sending import Admins, admins_of
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.queue import record_failed
from circles.services.planning.replan import replan

# The codes Slack answers when a conversation is gone, each with its words for the facilitators: listed
# once, so that no such code can come without its words.
REASONS = {
    "is_archived": "its conversation was archived",
    "not_in_channel": "the app was removed from its conversation",
    "channel_not_found": "its conversation no longer exists",
}
CONVERSATION_GONE = frozenset(REASONS)
POSTING_RESTRICTED = frozenset(
    {
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
    }
)
CIRCLE_PROMPTS = frozenset({CirclePrompt.TEMPLATE, MissedCirclePrompt.TEMPLATE})


def circle_conversation_gone(payload: dict[str, Any], error: str) -> bool:
    """Whether a failed row is a circle's prompt that Slack refused because its conversation is gone, or
    posting there is restricted."""
    refused = error in CONVERSATION_GONE or error in POSTING_RESTRICTED
    return refused and payload.get("template") in CIRCLE_PROMPTS


def circle_conversation_lost(
    uow: UnitOfWork,
    row: tuple[int, int, int],
    channel: str,
    error: str,
    now: datetime,
    admins: Admins = (),
) -> bool:
    """Record the prompt `row` (id, claim's attempt, workspace) failed and tell the facilitators of the
    circles meeting in `channel` (or the `admins`), dissolving them when it is gone; False if the claim is
    no longer ours."""
    row_id, attempt, workspace_id = row
    runners = admins_of(admins, workspace_id)
    with uow:
        session = uow.session
        if not record_failed(session, row_id, attempt, error):
            return False
        cohorts: set[int] = set()
        notices: list[Outgoing] = []
        for circle in live_circles_in(session, workspace_id, channel):
            cohort = session.get_one(Cohort, circle.cohort_id)
            hearers, _ = facilitators_or_admins(session, cohort.id, now, runners)
            if error in POSTING_RESTRICTED:
                notices += _restricted(cohort, circle, hearers)
                continue
            circle.dissolved_at = now
            cohorts.add(cohort.id)
            lost = PlainNotice(
                f"Circles can no longer post in *{mrkdwn(circle.name)}* of *{mrkdwn(cohort.name)}*: "
                f"{REASONS[error]}. Its prompts have stopped there. Its members stay in the cohort: the "
                f"next round gives them a new circle, or re-match them now with `/circles match "
                f"{cohort.slug} @someone`."
            )
            notices += [
                Outgoing(f"circle:{circle.id}:conversation_lost:{user}", user, lost) for user in hearers
            ]
        enqueue_many(session, workspace_id, notices, now, now)
        if cohorts:
            replan(session, sorted(cohorts))
        uow.commit()
        return True


def _restricted(cohort: Cohort, circle: Circle, hearers: list[str]) -> list[Outgoing]:
    """The notice, to the facilitators who can read it now (or the admins), that Circles may not post in the
    circle's conversation: once per circle."""
    told = PlainNotice(
        f"Slack does not let Circles post in *{mrkdwn(circle.name)}* of *{mrkdwn(cohort.name)}*: posting "
        f"there is restricted, so its members are not getting their weekly prompts. Please ask a workspace "
        f"admin to let Circles post in <#{circle.conversation_id}>; its prompts go on from the next week."
    )
    return [Outgoing(f"circle:{circle.id}:posting_restricted:{user}", user, told) for user in hearers]
