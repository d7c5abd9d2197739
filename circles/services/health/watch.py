"""Watch over partnerships: recompute the health that is due, open escalations where it calls for them,
follow them up.

A pair whose partner is away or paused waits for their return before it calls for the facilitators (it is
looked at again then, or daily for a pause without a date), unless a partner asked for support: time away
never opens an escalation by itself.

A pass costs what is due, not what exists: only partnerships with a new signal or a due time are
recomputed (set-based, in chunks), and only they are handed to `open_escalations`; follow-ups read
only the escalations whose next step is due. A pair new since the last pass (due as it starts) also takes
back the alerts of its partners' other pairs from whoever it pairs with them (`withdraw_from_new_partners`).
`full=True` recomputes every active partnership, for repairs (`circles tick --full`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.persistence.db import Session
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.open import Concern, open_escalations
from circles.services.escalations.paired import withdraw_from_new_partners
from circles.services.escalations.sending import Admins, in_order
from circles.services.health import due as health_due
from circles.services.health.recompute import PartnershipHealth, recompute

TREND_POINTS = 5


@dataclass(frozen=True)
class WatchSummary:
    partnerships: int  # active partnerships under watch
    needing_care: int  # of them, in needs attention or struggling (as last looked at)
    escalations_opened: int
    follow_ups: int
    recomputed: int = 0  # partnerships whose health was due and was recomputed in this pass
    skipped: int = 0  # of the due ones, those whose health could not be worked out (an odd row)


def watch(
    session: Session,
    now: datetime,
    *,
    admins: Admins,
    decrypt: Decrypt | None = None,
    full: bool = False,
) -> WatchSummary:
    """One pass over what is due in every workspace; the caller commits.

    `admins` (each workspace's own: see `admins_of`) hear of alerts nobody picked up, or no facilitator
    may have.
    """
    due = health_due.take_all(session, now) if full else health_due.take_due(session, now)
    recomputed, opened = 0, 0
    skipped: list[int] = []
    for chunk in health_due.chunks(due):
        withdraw_from_new_partners(session, chunk, now)  # before the look marks them seen
        health = recompute(session, now, partnerships=chunk, skipped=skipped)
        health_due.settle(session, now, chunk, health)
        recomputed += len(health)
        concerns = [concern_of(h) for h in health if h.waits_until is None]
        opened += len(open_escalations(session, concerns, now, decrypt=decrypt, admins=in_order(admins)))
    follow_ups = follow_up_unclaimed(session, now, in_order(admins), decrypt=decrypt)
    watched, caring = health_due.counts(session)
    return WatchSummary(watched, caring, opened, follow_ups, recomputed, len(skipped))


def concern_of(health: PartnershipHealth) -> Concern:
    """What escalation needs of a partnership's health: its state, reasons in words, streak, trend, and
    when the pair last answered a check-in."""
    recent = list(reversed(health.trend[:TREND_POINTS]))  # oldest first, ending with the state now
    return Concern(
        partnership_id=health.partnership_id,
        state=health.state.value,
        reasons=tuple(reason.text for reason in health.reasons),
        attention_streak=health.attention_streak,
        trend=tuple((point.since.isoformat(), point.state.value) for point in recent),
        answered_at=health.answered_at,
    )
