"""Watch over partnerships: recompute health, open escalations where it calls for them, follow them up."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipHealthState
from circles.persistence.models import Workspace
from circles.services.escalations import Concern, open_escalations
from circles.services.escalations_follow_up import follow_up_unclaimed
from circles.services.escalations_notes import Decrypt
from circles.services.health import PartnershipHealth, recompute

TREND_POINTS = 5


@dataclass(frozen=True)
class WatchSummary:
    partnerships: int
    needing_care: int  # in needs attention or struggling
    escalations_opened: int
    follow_ups: int


def watch(
    session: Session, now: datetime, *, admins: Collection[str], decrypt: Decrypt | None = None
) -> WatchSummary:
    """One pass for every workspace; the caller commits. `admins` hear of alerts nobody picked up."""
    health = recompute(session, now)
    opened = open_escalations(session, [concern_of(h) for h in health], now, decrypt=decrypt)
    workspaces = session.scalars(select(Workspace.id)).all()
    follow_ups = follow_up_unclaimed(session, now, {w: sorted(admins) for w in workspaces}, decrypt=decrypt)
    caring = {PartnershipHealthState.NEEDS_ATTENTION, PartnershipHealthState.STRUGGLING}
    return WatchSummary(len(health), sum(h.state in caring for h in health), len(opened), follow_ups)


def concern_of(health: PartnershipHealth) -> Concern:
    """What escalation needs of a partnership's health: its state, reasons in words, streak and trend."""
    recent = list(reversed(health.trend[:TREND_POINTS]))  # oldest first, ending with the state now
    return Concern(
        partnership_id=health.partnership_id,
        state=health.state.value,
        reasons=tuple(reason.text for reason in health.reasons),
        attention_streak=health.attention_streak,
        trend=tuple((point.since.isoformat(), point.state.value) for point in recent),
    )
