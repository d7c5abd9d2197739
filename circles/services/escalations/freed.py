"""Alerts claimed by someone who is now kept from the pair (paired since with one of its partners, in any
cohort): they can no longer act on it, so nobody is reaching out. Each is open again, before the facilitators
who may hear of it, and followed up like any alert nobody has; the claimer's copies are redrawn withdrawn,
with nothing of the pair, as a facilitator's taken off the cohort are (`released`, `withdrawn`)."""

from __future__ import annotations

import logging
from datetime import datetime

from circles.domain.escalations import Action
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.queries.cohorts import facilitators_by_cohort
from circles.queries.escalations import claims_kept_from_pair
from circles.services.escalations.ended import still_partnered
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.resurface import send_again
from circles.services.escalations.sending import Sending, tell
from circles.services.escalations.withdrawn import redraw_withdrawn

logger = logging.getLogger(__name__)


def free_kept_claims(session: Session, now: datetime, decrypt: Decrypt | None) -> int:
    """Open again every unresolved alert whose claimer is now kept from its pair; returns how many.

    A snoozed one stays snoozed and comes back open; one whose pair has ended (or whose cohort is archived)
    is resolved as ended instead. In a fixed number of statements however many; almost every pass finds
    none, in one statement.
    """
    rows = claims_kept_from_pair(session)  # locked: another watch takes others
    if not rows:
        return 0
    rows = still_partnered(session, rows, now)
    facilitators = facilitators_by_cohort(session, {cohort.id for _, cohort in rows})
    told: list[tuple[Sending, Action]] = []
    for escalation, cohort in rows:
        escalation.claimed_by, escalation.claimed_at = None, None
        if escalation.status is EscalationStatus.SNOOZED:
            continue  # nobody is asked before it comes back; it comes back open
        send_again(escalation, cohort, now)
        # `tell` leaves out whoever may not hear of the pair: the former claimer among them.
        told.append(
            (
                Sending(escalation, facilitators.get(cohort.id, []), f"freed{escalation.sendings}"),
                Action.RELEASED,
            )
        )
    odd: dict[int, str] = {}
    tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # open again, on the board; its card could not be drawn
        logger.warning("escalation %s open again unsent: %s", escalation_id, error)
    session.flush()
    redraw_withdrawn(session, [escalation for escalation, _ in rows], now)
    return len(rows)
