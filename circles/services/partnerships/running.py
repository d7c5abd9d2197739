"""Every running partnership and current circle of a set of memberships, each asked in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from circles.domain.circle_size import still_meets
from circles.domain.health.away import Spans
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus
from circles.persistence.db import Session
from circles.queries.circles import latest_circles_of
from circles.queries.partnerships import running_partnerships


@dataclass(frozen=True)
class PartnerStatus:
    """One running (active or paused) partnership, seen from one of its partners."""

    partnership_id: int
    partner_user_id: str
    kind: PartnershipKind
    status: PartnershipStatus
    started_at: datetime
    # When the partner is there: their membership and away blocks (never shown: their reasons are their own).
    partner_status: MemberStatus = MemberStatus.ACTIVE
    partner_paused_until: datetime | None = None
    partner_away: Spans = ()

    @property
    def paused(self) -> bool:
        return self.status is PartnershipStatus.PAUSED


@dataclass(frozen=True)
class CircleStatus:
    """A circle of the cohort's latest round that the member belongs to."""

    name: str
    conversation_id: str | None
    meets: bool = True  # enough of its members have not left for it to get prompts (`circle_size`)


def running_partners(
    session: Session, member_ids: Collection[int], now: datetime
) -> dict[int, list[PartnerStatus]]:
    """Each membership's active and paused partnerships with the other partner and their away blocks not
    over at `now`, oldest first."""
    found: dict[int, list[PartnerStatus]] = defaultdict(list)
    for running in running_partnerships(session, member_ids, away_since=now):
        pair = running.pair
        other = running.partner
        partner = PartnerStatus(
            pair.id,
            other.slack_user_id,
            pair.kind,
            pair.status,
            pair.started_at,
            other.status,
            other.paused_until,
            running.partner_away,
        )
        found[running.member_id].append(partner)
    return dict(found)


def current_circles(session: Session, member_ids: Collection[int]) -> dict[int, list[CircleStatus]]:
    """Each membership's circles in its cohort's latest round (the round that gets prompts), and whether
    each still meets."""
    found: dict[int, list[CircleStatus]] = defaultdict(list)
    for circle in latest_circles_of(session, member_ids):
        meets = still_meets(circle.seated)
        found[circle.member_id].append(CircleStatus(circle.name, circle.conversation_id, meets))
    return dict(found)
