"""A circle someone leaves in the middle of a round, by leaving the cohort (themselves, or as their Slack
account is deactivated; erasing them comes after): when fewer people are left in it than the cohort makes
circles of, its facilitators are told privately who is left, so that they can regroup them (the admins
instead when none of them can read it now: `facilitators_or_admins`); when one person is left, its prompts
stop (planning skips it, and those already planned are withdrawn) and that person is told privately, in
their own window, without a word about who left or why, and that their facilitators know only when one
of them was told (else `/circles support` reaches someone who can help).

Recorded in the leave's transaction, which holds the cohort: a planning pass of the cohort either ran
before (its prompt is withdrawn here) or runs after and plans none. Each notice is keyed by the leaving
seat, so a leave retried or raced on another replica tells nobody twice.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.domain.circle_size import short_of, still_meets
from circles.domain.text import mrkdwn
from circles.messages import CircleAlone, PlainNotice
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member
from circles.queries.circle_rooms import LeftBehind, left_behind, planned_circle_prompts
from circles.queries.cohorts.facilitators import facilitators_or_admins
from circles.queries.outbox.deferral import supersede
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.people.circle_exit import exit_key


def tell_circles_shrunk(
    session: Session, cohort: Cohort, member: Member, now: datetime, admins: Collection[str] = ()
) -> None:
    """After `member` left `cohort`: tell whoever should hear about the circles they left short (`admins`:
    the workspace's, told when none of its facilitators can be)."""
    notices: list[Outgoing] = []
    circles = left_behind(session, member.id)
    if not circles:
        return
    hearers, facilitated = facilitators_or_admins(session, cohort.id, now, admins)
    for circle in circles:
        key = exit_key(circle.circle_id, member.id, circle.seated)
        left = len(circle.remaining)
        if not still_meets(left):
            supersede(session, planned_circle_prompts(session, cohort.workspace_id, circle.circle_id))
            alone = _alone(cohort, circle, facilitated)
            notices += [Outgoing(f"{key}:alone:{user}", user, alone) for user in circle.remaining]
        if short_of(left, cohort.circle_min_size):
            told = _short(cohort, circle)
            notices += [Outgoing(f"{key}:short:{to}", to, told) for to in hearers]
    enqueue_many(session, cohort.workspace_id, notices, now, now)


def _short(cohort: Cohort, circle: LeftBehind) -> PlainNotice:
    left = len(circle.remaining)
    who = ", ".join(f"<@{user}>" for user in circle.remaining)
    stopped = ""
    if left == 1:
        ends = "Its weekly prompts have stopped" if circle.made else "It will not be made"
        stopped = f" {ends}; they have been told."
    return PlainNotice(
        f"Circle *{mrkdwn(circle.name)}* of *{mrkdwn(cohort.name)}* is down to {left} "
        f"member{'s' if left != 1 else ''} ({who}); its circles are made for {cohort.circle_min_size} to "
        f"{cohort.circle_max_size}.{stopped} To regroup everyone, start a new round with "
        f"`/circles match {cohort.slug}`; someone who joins or comes back can be re-matched into a circle "
        f"with room with `/circles match {cohort.slug} @someone`."
    )


def _alone(cohort: Cohort, circle: LeftBehind, facilitated: bool) -> CircleAlone:
    """What the one left is told (the words are the renderer's): like any personal message that can wait,
    it goes in their window, never at night or while they are away, since someone else's leaving sent it."""
    return CircleAlone(circle.name, cohort.name, made=circle.made, facilitated=facilitated)
