"""Alerts claimed by facilitators taken off their cohort, or whose Slack account is gone: nobody is reaching
out any more, so each is open again, before the facilitators who stay, and followed up like any alert
nobody has."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import datetime

from circles.domain.escalations import Action
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import facilitated_cohorts, facilitator_ids, hold_cohort
from circles.queries.escalations import unresolved_in_cohort
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.resurface import send_again
from circles.services.escalations.sending import Sending, tell
from circles.services.intake.workspaces import find_workspace

logger = logging.getLogger(__name__)


def release_claims(
    session: Session,
    cohort: Cohort,
    leaving: Collection[str],
    staying: Collection[str],
    now: datetime,
    *,
    decrypt: Decrypt | None,
) -> int:
    """Open again each unresolved alert of the cohort claimed by one of `leaving`, sent to those of
    `staying` who may hear of it; a snoozed one stays snoozed and comes back open. Returns how many.

    Facilitators added in the same change are sent the cohort's alerts afterwards, as they now stand.
    """
    if not leaving:
        return 0
    released = [(e, cohort) for e, _ in unresolved_in_cohort(session, cohort.id) if e.claimed_by in leaving]
    open_again(session, released, {cohort.id: list(staying)}, "released", now, decrypt=decrypt)
    return len(released)


def open_again(
    session: Session,
    claimed: list[tuple[Escalation, Cohort]],
    facilitators: Mapping[int, Collection[str]],
    occasion: str,
    now: datetime,
    *,
    decrypt: Decrypt | None,
) -> None:
    """Take each alert's claim away and send it again, as `occasion`, to its cohort's `facilitators` (by
    cohort id) who may hear of its pair: `tell` leaves out whoever of them is one of the pair or was ever
    paired with one. A snoozed one stays snoozed and comes back open, nobody asked before then."""
    told: list[tuple[Sending, Action]] = []
    for escalation, cohort in claimed:
        escalation.claimed_by, escalation.claimed_at = None, None
        if escalation.status is EscalationStatus.SNOOZED:
            continue
        send_again(escalation, cohort, now)
        sending = Sending(escalation, facilitators.get(cohort.id, []), f"{occasion}{escalation.sendings}")
        told.append((sending, Action.RELEASED))
    odd: dict[int, str] = {}
    tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # open again, on the board; its card could not be drawn
        logger.warning("escalation %s open again unsent: %s", escalation_id, error)


def release_gone(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, decrypt: Decrypt | None
) -> int:
    """Someone whose Slack account was deactivated or deleted reaches out to nobody: each alert they
    claimed, in every cohort they facilitate, is open again as above, in one transaction, each cohort held
    first (in order), as a facilitator's press on its alerts holds it. Returns how many."""
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        cohorts = facilitated_cohorts(session, workspace.id, user_id) if workspace else []
        released = 0
        for cohort in sorted(cohorts, key=lambda c: c.id):
            hold_cohort(session, cohort.id)
            staying = [user for user in facilitator_ids(session, cohort.id) if user != user_id]
            released += release_claims(session, cohort, [user_id], staying, now, decrypt=decrypt)
        uow.commit()
        return released
