"""Someone who leaves a cohort leaves its circles' private channels too: they no longer read its prompts
or what the others write there.

Each removal is outbox work (`conversations.kick`), recorded in the leave's transaction under a key of
the circle, the membership and its seat, so a leave retried or raced on another replica removes them
once. A group DM cannot lose a member in Slack: a circle meeting in one is left as it is. When Slack
refuses for good (a workspace may let only its admins remove people), or keeps failing until the outbox
gives up, the cohort's facilitators who can read it now (or the admins, when none can:
`facilitators_or_admins`) are told once, privately, who is still in which circle's channel, so that they
remove them by hand.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from circles.domain.text import mrkdwn, slack_id
from circles.domain.vocabulary import MeetingPlace
from circles.messages import PlainNotice
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Circle, Cohort, Member
from circles.queries.circle_rooms import circle_places
from circles.queries.circles import conversations_of
from circles.queries.cohorts.facilitators import facilitators_or_admins
from circles.queries.outbox.claims import settle_failed
from circles.queries.workspaces import meeting_place_of
from circles.services.escalations.sending import Admins, admins_of
from circles.services.outbox.enqueue import Outgoing, Work, enqueue_many, enqueue_work

KICK = "conversations.kick"
CIRCLE_EXIT = "circle_exit"
_EXIT_KEY = re.compile(r"circle:(\d+):exit:\d+(?::\d+)?")
# Nothing is left to remove by hand: the channel is gone, or the person's account is, or the circle met in
# a group DM (its cohort's circles met in one before a change of settings), which nobody can be taken out of.
# (account_inactive is not here: it is Slack refusing the workspace's token, which holds the row untried.)
NOTHING_LEFT = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "user_disabled",
        "user_is_deactivated",
        "method_not_supported_for_channel_type",
    }
)


def remove_from_circles(session: Session, cohort: Cohort, member: Member, now: datetime) -> int:
    """Queue the member's removal from each private channel of their circles; returns how many were new.
    Each circle meets where its round made its conversation, whatever the cohort chose since."""
    seats = conversations_of(session, member.id)
    places = circle_places(session, [seat[0] for seat in seats], meeting_place_of(session, cohort))
    # Keyed by the seat too: someone seated again in a circle after leaving and coming back (a re-match
    # puts them back in their place) is taken out again when they leave again, and only then.
    work = [
        Work(
            exit_key(circle_id, member.id, seated),
            KICK,
            conversation,
            {"template": CIRCLE_EXIT, "user": member.slack_user_id},
        )
        for circle_id, conversation, seated in seats
        if places[circle_id] is MeetingPlace.PRIVATE_CHANNEL
    ]
    return enqueue_work(session, cohort.workspace_id, work, now, now)


def exit_key(circle_id: int, member_id: int, seated: datetime) -> str:
    """The key of a membership's leaving one seat of theirs: what follows from it is recorded once."""
    return f"circle:{circle_id}:exit:{member_id}:{seated:%Y%m%d%H%M%S%f}"


def circle_exit_refused(
    uow: UnitOfWork,
    row: tuple[int, int, int],
    key: str,
    payload: dict[str, Any],
    error: str,
    now: datetime,
    admins: Admins = (),
) -> bool:
    """Record that Slack refused for good to take someone out of a circle's channel (`row`: id, claim's
    attempt, workspace) and tell the cohort's facilitators (or the `admins`) once; False if the claim is no
    longer ours."""
    row_id, attempt, workspace_id = row
    with uow:
        if not settle_failed(uow.session, row_id, attempt, error):
            return False
        tell_stuck(uow.session, workspace_id, key, payload, error, now, admins)
        uow.commit()
        return True


def tell_stuck(
    session: Session,
    workspace_id: int,
    key: str,
    payload: dict[str, Any],
    error: str,
    now: datetime,
    admins: Admins,
) -> None:
    """In the caller's transaction: the facilitators who can read it now, or else the `admins`, are told
    once that the removal (`key`) did not happen."""
    found, user = _EXIT_KEY.fullmatch(key), slack_id(payload.get("user"))
    circle = session.get(Circle, int(found.group(1))) if found else None
    if circle is None or user is None or error in NOTHING_LEFT:
        return
    cohort = session.get_one(Cohort, circle.cohort_id)
    stuck = PlainNotice(
        f"<@{user}> left *{mrkdwn(cohort.name)}* but is still in the private channel of circle "
        f"*{mrkdwn(circle.name)}* (<#{circle.conversation_id}>): Slack did not let Circles remove "
        f"them (`{mrkdwn(error)}`). Please remove them from it by hand."
    )
    hearers, _ = facilitators_or_admins(session, cohort.id, now, admins_of(admins, workspace_id))
    notices = [Outgoing(f"{key}:stuck:{to}", to, stuck) for to in hearers]
    enqueue_many(session, workspace_id, notices, now, now)
