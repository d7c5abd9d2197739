"""Escalations nobody picked up: sent again to the facilitators, then to the admins; snoozes that ran out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import APP_ACTOR, Action, FollowUp, follow_up_due
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import Cohort, Escalation
from circles.services.cohorts import facilitator_ids
from circles.services.escalations_cards import record, send
from circles.services.escalations_notes import Decrypt


def follow_up_unclaimed(
    session: Session, now: datetime, admins: Mapping[int, list[str]], *, decrypt: Decrypt | None = None
) -> int:
    """Take every follow-up step that is due; returns how many were taken.

    An escalation still open `unclaimed_escalation_hours` after it was sent goes once more to the
    cohort's facilitators; the same time after that, to the workspace's admins (`admins`: workspace id
    to Slack user IDs). Each step is recorded in the audit trail and never repeated. A snooze that has
    run out puts the escalation before the facilitators again, and its follow-ups start afresh.
    """
    taken = _snoozes_run_out(session, now, decrypt)
    rows = session.execute(
        select(Escalation, Cohort)
        .join(Cohort, Cohort.id == Escalation.cohort_id)
        .where(Escalation.status == EscalationStatus.OPEN, Escalation.follow_ups < len(FollowUp))
        .order_by(Escalation.id)
    ).all()
    for escalation, cohort in rows:
        hours = HealthThresholds.from_json(cohort.health_thresholds).unclaimed_escalation_hours
        sent_at = escalation.sent_at or escalation.opened_at
        step = follow_up_due(sent_at, escalation.follow_ups, hours, now)
        if step is FollowUp.REMIND:
            occasion = f"reminder{escalation.sendings}"
            to = send(session, escalation, facilitator_ids(session, cohort), occasion, now, decrypt=decrypt)
            record(session, escalation, APP_ACTOR, Action.REMINDED, now, {"to": to})
        elif step is FollowUp.ADMINS:
            # Facilitators have had it twice already; the admins are the ones not yet asked.
            wanted = set(admins.get(escalation.workspace_id, [])) - set(facilitator_ids(session, cohort))
            occasion = f"admins{escalation.sendings}"
            to = send(session, escalation, wanted, occasion, now, decrypt=None, for_admins=True)
            record(session, escalation, APP_ACTOR, Action.SENT_TO_ADMINS, now, {"to": to})
        else:
            continue
        escalation.follow_ups += 1
        escalation.sent_at = now
        taken += 1
    session.flush()
    return taken


def _snoozes_run_out(session: Session, now: datetime, decrypt: Decrypt | None) -> int:
    """Put each escalation whose snooze has ended before the facilitators again, as it was before."""
    rows = session.execute(
        select(Escalation, Cohort)
        .join(Cohort, Cohort.id == Escalation.cohort_id)
        .where(Escalation.status == EscalationStatus.SNOOZED, Escalation.snoozed_until <= now)
        .order_by(Escalation.id)
    ).all()
    for escalation, cohort in rows:
        escalation.status = EscalationStatus.CLAIMED if escalation.claimed_by else EscalationStatus.OPEN
        escalation.snoozed_until = None
        escalation.sendings += 1
        escalation.sent_at = now
        escalation.follow_ups = 0
        session.flush()
        occasion = f"back{escalation.sendings}"
        to = send(session, escalation, facilitator_ids(session, cohort), occasion, now, decrypt=decrypt)
        record(session, escalation, APP_ACTOR, Action.RESURFACED, now, {"to": to})
    return len(rows)
