"""Whose digest is worth working out now: people whose stored due time has come.

Each membership keeps `digest_due_at`, the same for every membership of a person: when their digest is
next worth working out (their next morning on a working day, or sooner when something in it will change
that morning). None means at once: a new member, or a change someone made
(see circles.services.planning.replan).
A pass with nothing due costs one statement, whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from circles.domain.digests import next_digest_window, working_days
from circles.domain.nudges import PairActivity, next_nudge_at
from circles.domain.planning import zone_for
from circles.domain.schedule import NEVER
from circles.persistence.db import Session
from circles.queries.guides import Guide, take_due_digests

# A pass works out the digests of at most this many memberships' people, so that it stays short; any more
# are worked out by the next pass, well within their morning.
MEMBERS_PER_PASS = 20_000
Person = tuple[int, str]  # workspace id and Slack user id: one digest covers every cohort of theirs


def due_people(session: Session, now: datetime) -> dict[Person, list[int]]:
    """The people with a membership due (at most MEMBERS_PER_PASS memberships), and those memberships'
    ids; locked until the caller commits, skipping those another pass is working out."""
    found: dict[Person, list[int]] = defaultdict(list)
    for member_id, workspace_id, user_id in take_due_digests(session, now, MEMBERS_PER_PASS):
        found[(workspace_id, user_id)].append(member_id)
    return dict(found)


def muted_until(theirs: list[Guide], now: datetime) -> datetime | None:
    """When the person's mute ends, if one is in force: a mute is the person's, whichever membership
    keeps it (a cohort joined since, say, has none of its own)."""
    return max(
        (g.muted_until for g in theirs if g.muted_until is not None and g.muted_until > now), default=None
    )


def next_window(
    theirs: list[Guide], running: list[Guide], now: datetime, resumes: datetime | None = None
) -> datetime:
    """When the person's digest is next worth working out: when their next digest window opens; never
    for someone who guides nobody in a cohort that can still run; when the mute ends for someone muted.
    A dated pause of theirs (`resumes`) ending sooner than that is looked at then: nothing else marks the
    end of such a pause, which no one makes."""
    found = _window(theirs, running, now)
    return found if resumes is None else min(found, resumes)


def _window(theirs: list[Guide], running: list[Guide], now: datetime) -> datetime:
    if not theirs or all(_over(g, now) for g in theirs):
        return NEVER
    if (until := muted_until(theirs, now)) is not None:  # looked at again when the mute ends
        return until
    # The zone the planner checks the digest's day in (see digests._digest_day): the person's own, else
    # the first running cohort's, not that of an earlier cohort over or one yet to start elsewhere.
    first = (running or theirs)[0]
    zone = zone_for(first.own_zone, first.cohort_zone)
    starts = [g.prompt_time for g in running or theirs]
    return next_digest_window(zone, starts, working_days(first.working_days), now)


def _over(guide: Guide, now: datetime) -> bool:
    return guide.ends_on is not None and now.astimezone(ZoneInfo(guide.cohort_zone)).date() > guide.ends_on


def next_nudge(guide: Guide, pairs: list[PairActivity], now: datetime) -> datetime | None:
    return next_nudge_at(pairs, now, guide.days_without_meeting)
