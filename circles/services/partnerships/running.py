"""Every running partnership and current circle of a set of memberships, each asked in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from circles.domain.vocabulary import PartnershipKind, PartnershipStatus
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

    @property
    def paused(self) -> bool:
        return self.status is PartnershipStatus.PAUSED


@dataclass(frozen=True)
class CircleStatus:
    """A circle of the cohort's latest round that the member belongs to."""

    name: str
    conversation_id: str | None


def running_partners(session: Session, member_ids: Collection[int]) -> dict[int, list[PartnerStatus]]:
    """Each membership's active and paused partnerships with the other partner, oldest first."""
    found: dict[int, list[PartnerStatus]] = defaultdict(list)
    for running in running_partnerships(session, member_ids):
        pair = running.pair
        partner = PartnerStatus(
            pair.id, running.partner.slack_user_id, pair.kind, pair.status, pair.started_at
        )
        found[running.member_id].append(partner)
    return dict(found)


def current_circles(session: Session, member_ids: Collection[int]) -> dict[int, list[CircleStatus]]:
    """Each membership's circles in its cohort's latest round (the round that gets prompts)."""
    found: dict[int, list[CircleStatus]] = defaultdict(list)
    for circle in latest_circles_of(session, member_ids):
        found[circle.member_id].append(CircleStatus(circle.name, circle.conversation_id))
    return dict(found)
