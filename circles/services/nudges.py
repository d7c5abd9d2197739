"""Coaches' and mentors' daily digest: one a day per person across all their cohorts, on their working days.

Planning is set-based: a fixed handful of queries whatever the number of coaches, and one insert per
workspace with digests due. The outbox keeps one message per key, and the key names the person and their
local date, so planning again, or from another process, never sends a second digest that day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.digests import DigestSection, digest_day, stored_days, working_days
from circles.domain.nudges import Nudge, PairActivity, nudges_for
from circles.domain.planning import zone_for
from circles.errors import NotAMember
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Member
from circles.services.nudge_reads import Guide, guides, open_requests, pair_activity
from circles.services.outbox import Outgoing, enqueue_many
from circles.services.workspaces import find_workspace

logger = logging.getLogger(__name__)

MAX_MUTE_WEEKS = 12
Person = tuple[int, str]  # workspace id and Slack user id: one digest covers every cohort of theirs


@dataclass(frozen=True)
class NudgeSummary:
    digests: int
    guides_checked: int
    skipped: int = 0  # people whose digest could not be worked out (an odd row): the rest go on


def plan_nudges(session: Session, now: datetime) -> NudgeSummary:
    """Record today's digest for each coach or mentor whose morning it is on a working day (set-based)."""
    found = guides(session, now)
    due: list[tuple[Person, list[Guide], date]] = []
    skipped = 0
    for person, theirs in _by_person(found).items():
        try:
            running = [g for g in theirs if g.running(now)]
            day = _digest_day(running, now) if running else None
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # One person's odd settings never stop everyone else's digest. Ids only, never names.
            logger.warning("digest skipped for member %s: %s", theirs[0].member_id, type(error).__name__)
            skipped += 1
            continue
        if day is not None:
            due.append((person, running, day))
    if not due:
        return NudgeSummary(0, len(found), skipped)
    ids = [g.member_id for _, running, _ in due for g in running]
    pairs, requests = pair_activity(session, ids, now), open_requests(session, ids)
    outgoing: dict[int, list[Outgoing]] = defaultdict(list)
    for (workspace_id, user_id), running, day in due:
        sections = compose(running, pairs, requests, now)
        if sections:
            args = digest_args(running, sections)
            key = f"digest:{user_id}:{day.isoformat()}"
            outgoing[workspace_id].append(Outgoing(key, user_id, "coach_digest", args))
    digests = sum(enqueue_many(session, ws, outgoing[ws], now, now) for ws in sorted(outgoing))
    return NudgeSummary(digests, len(found), skipped)


def digest_now(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[DigestSection]:
    """Everything the person's digest would hold now, for the full list behind "…and N more"."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        theirs = guides(uow.session, now, workspace_id=workspace.id, user_id=user_id, muted_too=True)
        running = [g for g in theirs if g.running(now)]
        ids = [g.member_id for g in running]
        pairs, requests = pair_activity(uow.session, ids, now), open_requests(uow.session, ids)
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
            sections.append(DigestSection(guide.cohort_name, tuple(found)))
    return sections


def digest_args(running: list[Guide], sections: list[DigestSection]) -> dict[str, Any]:
    """What the outbox keeps of a digest: plain values, never a rating or a note."""
    return {
        "member_id": running[0].member_id,  # the mute button's, checked against whoever presses it
        "working_days": stored_days(working_days(running[0].working_days)),
        "sections": [
            {"cohort_name": s.cohort_name, "nudges": [_plain(n) for n in s.nudges]} for s in sections
        ],
    }


def mute_nudges(
    uow: UnitOfWork, team_id: str, user_id: str, member_id: int, weeks: int, now: datetime
) -> datetime:
    """Mute the person's own digest, in every cohort, for a few weeks; returns when it starts again."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        member = uow.session.get(Member, member_id)
        theirs = workspace is not None and member is not None and member.workspace_id == workspace.id
        if not theirs or member is None or member.slack_user_id != user_id:
            raise NotAMember(None)
        until = now + timedelta(weeks=max(1, min(weeks, MAX_MUTE_WEEKS)))
        memberships = select(Member).where(
            Member.workspace_id == member.workspace_id, Member.slack_user_id == user_id
        )
        for row in uow.session.scalars(memberships):
            row.nudges_muted_until = until
        uow.commit()
        return until


def _by_person(found: Iterable[Guide]) -> dict[Person, list[Guide]]:
    people: dict[Person, list[Guide]] = defaultdict(list)
    for guide in found:
        people[(guide.workspace_id, guide.user_id)].append(guide)
    return people


def _digest_day(running: list[Guide], now: datetime) -> date | None:
    first = running[0]  # the profile is the person's, the same on every membership
    zone = zone_for(first.own_zone, first.cohort_zone)
    return digest_day(zone, [g.prompt_time for g in running], working_days(first.working_days), now)


def _plain(nudge: Nudge) -> dict[str, object]:
    return {"kind": nudge.kind.value, "partner": nudge.partner_user_id, "count": nudge.count}
