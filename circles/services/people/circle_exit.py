"""Someone who leaves a cohort leaves its circles' private channels too: they no longer read its prompts
or what the others write there.

Each removal is outbox work (`conversations.kick`), recorded in the leave's transaction under a key of
the circle and the membership, so a leave retried or raced on another replica removes them once. A group
DM cannot lose a member in Slack: a circle meeting in one is left as it is.
"""

from __future__ import annotations

from datetime import datetime

from circles.domain.vocabulary import MeetingPlace
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member
from circles.queries.circles import conversations_of
from circles.queries.workspaces import meeting_place_of
from circles.services.outbox.enqueue import Work, enqueue_work

KICK = "conversations.kick"
CIRCLE_EXIT = "circle_exit"


def remove_from_circles(session: Session, cohort: Cohort, member: Member, now: datetime) -> int:
    """Queue the member's removal from each private channel of their circles; returns how many were new."""
    if meeting_place_of(session, cohort) is not MeetingPlace.PRIVATE_CHANNEL:
        return 0
    work = [
        Work(
            f"circle:{circle_id}:exit:{member.id}",
            KICK,
            conversation,
            {"template": CIRCLE_EXIT, "user": member.slack_user_id},
        )
        for circle_id, conversation in conversations_of(session, member.id)
    ]
    return enqueue_work(session, cohort.workspace_id, work, now, now)
