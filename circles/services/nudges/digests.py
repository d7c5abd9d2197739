"""Coaches' and mentors' daily digest: one a day per person across all their cohorts, on their working days.

Planning is set-based and reads only the people whose digest is due: a fixed handful of statements
whatever their number, one when nobody is due. The outbox keeps one message per key, and the key names
the person and their local date, so planning again, or from another process, never sends a second digest
that day; and none comes within GAP of their last one, so that a new time zone, whose day may be one they
had where they were, never brings a second within hours.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from circles.domain.digests import (
    LOOK_BACK,
    DigestSection,
    digest_day,
    digest_key,
    not_before,
    working_days,
)
from circles.domain.nudges import PairActivity, nudges_for
from circles.domain.planning import zone_for
from circles.errors import NotAMember
from circles.messages import CoachDigest, stored
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Member
from circles.queries.coach_requests import open_requests
from circles.queries.guide_pairs import pair_activity
from circles.queries.guides import Guide, guides, pauses_ending, store_digest_due, waiting_digests
from circles.queries.members import memberships_of
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.digests import digests_made
from circles.queries.outbox.rows import NewMessage, add_new
from circles.services.intake.workspaces import find_workspace
from circles.services.nudges.due import Person, due_people, muted_until, next_nudge, next_window
from circles.services.outbox.enqueue import Outgoing

logger = logging.getLogger(__name__)

MAX_MUTE_WEEKS = 12
# Whose morning it is, their running cohorts, their day and the zone it is theirs in.
Chosen = list[tuple[Person, list[Guide], date, str]]
RETRY_ODD = timedelta(days=1)  # a person whose digest could not be worked out is tried again a day later


@dataclass(frozen=True)
class NudgeSummary:
    digests: int
    guides_checked: int
    skipped: int = 0  # people whose digest could not be worked out (an odd row): the rest go on


def plan_nudges(session: Session, now: datetime) -> NudgeSummary:
    """Record today's digest for each coach or mentor due whose morning it is on a working day.

    Only people whose digest is due are read (set-based, a fixed handful of statements however many), and
    each is given the next time theirs is worth working out: their next morning, or sooner that morning
    when a pair will reach the days without a meeting or a check-in will count as unanswered.
    """
    due = due_people(session, now)
    if not due:
        return NudgeSummary(0, 0)
    found = guides(session, now, people=due, muted_too=True)
    people = _by_person(found)
    resuming = pauses_ending(session, due, now)
    chosen: Chosen = []
    next_at: dict[Person, datetime] = {}
    skipped = 0
    for person in due:
        theirs = people.get(person, [])
        try:
            muted = muted_until(theirs, now) is not None
            running = [] if muted else [g for g in theirs if g.running(now)]
            today = _digest_day(running, now) if running else None
            next_at[person] = next_window(theirs, running, now, resuming.get(person))
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # One person's odd settings never stop everyone else's digest. Ids only, never names.
            logger.warning("digest skipped for member %s: %s", due[person][0], type(error).__name__)
            skipped += 1
            next_at[person] = now + RETRY_ODD
            continue
        if today is not None:
            chosen.append((person, running, *today))
    digests = _record(session, chosen, next_at, now)
    # Only the memberships this pass holds: a person's others are not due, or another pass holds them.
    store_digest_due(session, {m: next_at[p] for p, ids in due.items() for m in ids})
    return NudgeSummary(digests, len(found), skipped)


def _record(
    session: Session,
    chosen: Chosen,
    next_at: dict[Person, datetime],
    now: datetime,
) -> int:
    """Write the digests with something to act on; a morning with nothing yet is looked at again when
    something will come up before the next one, and one too soon after the last digest when it may come."""
    if not chosen:
        return 0
    made = digests_made(session, [person for person, *_ in chosen], now - LOOK_BACK)
    keyed = []
    for person, running, day, zone in chosen:
        if (until := not_before(made.get(person, []), now)) is not None:
            next_at[person] = min(next_at[person], until)  # later today, if still in their hours
            continue
        keyed.append((person, running, digest_key(person[1], zone, day, made.get(person, []))))
    ids = [g.member_id for _, running, _ in keyed for g in running]
    pairs, requests = pair_activity(session, ids, now), open_requests(session, ids, now)
    rows = []
    for person, running, key in keyed:
        sections = compose(running, pairs, requests, now)
        if not sections:
            coming = [next_nudge(g, pairs.get(g.member_id, []), now) for g in running]
            next_at[person] = min([next_at[person], *(at for at in coming if at is not None)])
            continue
        (workspace_id, user_id) = person
        digest = CoachDigest(running[0].member_id, working_days(running[0].working_days), tuple(sections))
        rows.append((workspace_id, Outgoing(key, user_id, digest)))
    return _enqueue(session, rows, now)


def _enqueue(session: Session, rows: list[tuple[int, Outgoing]], now: datetime) -> int:
    """Add the digests of every workspace in one statement; returns how many were new."""
    messages = [
        NewMessage(workspace_id, message.key, message.method, message.channel, stored(message.payload), now)
        for workspace_id, message in sorted(rows, key=lambda row: (row[0], row[1].key))
    ]
    return len(add_new(session, messages, now))


def digest_now(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[DigestSection]:
    """Everything the person's digest would hold now, for the full list behind "…and N more"."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        theirs = guides(uow.session, now, workspace_id=workspace.id, user_id=user_id, muted_too=True)
        running = [g for g in theirs if g.running(now)]
        ids = [g.member_id for g in running]
        pairs, requests = pair_activity(uow.session, ids, now), open_requests(uow.session, ids, now)
        return compose(running, pairs, requests, now)


def compose(
    running: list[Guide], pairs: dict[int, list[PairActivity]], requests: dict[int, int], now: datetime
) -> list[DigestSection]:
    """A section per cohort with something to act on, in the order of the person's memberships."""
    sections = []
    for guide in running:
        mine, asked = pairs.get(guide.member_id, []), requests.get(guide.member_id, 0)
        found = nudges_for(mine, asked, now, guide.days_without_meeting)
        if found:
            sections.append(DigestSection(guide.cohort_name, tuple(found), guide.member_id))
    return sections


def mute_nudges(
    uow: UnitOfWork, team_id: str, user_id: str, member_id: int, weeks: int, now: datetime
) -> datetime:
    """Mute the person's own digest, in every cohort, for a few weeks; returns when it starts again. A
    digest of theirs still waiting (for their hours, say) is not sent."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        member = uow.session.get(Member, member_id)
        theirs = workspace is not None and member is not None and member.workspace_id == workspace.id
        if not theirs or member is None or member.slack_user_id != user_id:
            raise NotAMember(None)
        until = now + timedelta(weeks=max(1, min(weeks, MAX_MUTE_WEEKS)))
        for row in memberships_of(uow.session, member.workspace_id, user_id):
            row.nudges_muted_until = until
        supersede(uow.session, waiting_digests(uow.session, member.workspace_id, user_id))
        uow.commit()
        return until


def _by_person(found: Iterable[Guide]) -> dict[Person, list[Guide]]:
    people: dict[Person, list[Guide]] = defaultdict(list)
    for guide in found:
        people[(guide.workspace_id, guide.user_id)].append(guide)
    return people


def _digest_day(running: list[Guide], now: datetime) -> tuple[date, str] | None:
    """The person's day when it is their digest's time, and the zone it is theirs in."""
    first = running[0]  # the profile is the person's, the same on every membership
    zone = zone_for(first.own_zone, first.cohort_zone)
    day = digest_day(zone, [g.prompt_time for g in running], working_days(first.working_days), now)
    return None if day is None else (day, zone)
