"""Snoozes that have run out: each escalation comes back before its facilitators, as it was before.

Run by the follow-up pass; however many snoozes end together, they come back in a fixed number of
statements.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import Action, FollowUp
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import reachable_facilitators
from circles.queries.escalations import snoozes_run_out
from circles.services.escalations import sending
from circles.services.escalations.ended import still_partnered
from circles.services.escalations.notes import Decrypt

logger = logging.getLogger(__name__)


def bring_back_snoozed(
    session: Session, now: datetime, admins: sending.Admins, decrypt: Decrypt | None
) -> int:
    """Put each escalation whose snooze has ended before the facilitators again, claimed if it was, its
    follow-ups starting afresh; returns how many came back. One whose pair has ended is resolved instead.

    When no facilitator may have it now (those left are of the pair, or none is left who is still in Slack
    and not away: `reachable_facilitators`), it goes to the admins at once, without the partners' notes,
    and nothing follows.
    """
    rows = still_partnered(session, snoozes_run_out(session, now), now)  # locked like the follow-ups
    facilitators = reachable_facilitators(session, {cohort.id for _, cohort in rows}, now)
    hearing = sending.facilitators_hearing(session, [escalation for escalation, _ in rows], facilitators)
    told: list[tuple[sending.Sending, Action]] = []
    for escalation, cohort in rows:
        send_again(escalation, cohort, now)
        asked = facilitators.get(cohort.id, [])
        if hearing[escalation.id]:
            told.append((sending.Sending(escalation, asked, f"back{escalation.sendings}"), Action.RESURFACED))
        else:
            told.append((sending.to_admins(escalation, admins, asked), Action.SENT_TO_ADMINS))
            escalation.follow_ups, escalation.follow_up_at = len(FollowUp), None
    odd: dict[int, str] = {}
    sending.tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # it is back, on the board; its card could not be drawn
        logger.warning("snooze end: escalation %s came back unsent: %s", escalation_id, error)
    return len(rows)


def send_again(escalation: Escalation, cohort: Cohort, now: datetime) -> None:
    """Its status before the snooze (claimed while someone has it); sent again now, and followed up from
    now while nobody has it."""
    escalation.status = EscalationStatus.CLAIMED if escalation.claimed_by else EscalationStatus.OPEN
    escalation.snoozed_until = None
    escalation.sendings += 1
    escalation.sent_at = now
    escalation.follow_ups = 0
    escalation.follow_up_at = None
    if escalation.status is EscalationStatus.OPEN:
        try:
            hours = HealthThresholds.from_json(cohort.health_thresholds).unclaimed_escalation_hours
            escalation.follow_up_at = now + timedelta(hours=hours)
        except sending.ODD_ROW as error:
            # An odd threshold (past what a date holds): back, but not followed up until a signal.
            logger.warning(
                "snooze end: escalation %s of cohort %s comes back without follow-ups: %s",
                escalation.id,
                cohort.id,
                type(error).__name__,
            )
