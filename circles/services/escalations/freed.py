"""Alerts claimed by someone who is now kept from the pair (paired since with one of its partners, in any
cohort): they can no longer act on it, so nobody is reaching out. Each is open again, before the facilitators
who may hear of it, and followed up like any alert nobody has; the claimer's copies are redrawn withdrawn,
with nothing of the pair, as a facilitator's taken off the cohort are (`released`, `withdrawn`)."""

from __future__ import annotations

from datetime import datetime

from circles.persistence.db import Session
from circles.queries.cohorts import reachable_facilitators
from circles.queries.escalations import claims_kept_from_pair
from circles.services.escalations.ended import still_partnered
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.released import open_again
from circles.services.escalations.withdrawn import redraw_withdrawn


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
    facilitators = reachable_facilitators(session, {cohort.id for _, cohort in rows}, now)
    # The former claimer is among those who may not hear of the pair: `tell` leaves them out.
    open_again(session, rows, facilitators, "freed", now, decrypt=decrypt)
    session.flush()
    redraw_withdrawn(session, [escalation for escalation, _ in rows], now)
    return len(rows)
