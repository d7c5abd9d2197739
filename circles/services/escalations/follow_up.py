"""Escalations nobody picked up: sent again to the facilitators, then to the admins; snoozes that ran out.

Each escalation keeps when its follow-up is next looked at (`follow_up_at`), so a pass reads only the
escalations whose time has come, by index, however many exist; and it takes their steps in a fixed
number of statements, however many are due together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import Action, FollowUp, follow_up_due
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import reachable_facilitators
from circles.queries.escalations import follow_ups_due
from circles.services.escalations.ended import still_partnered
from circles.services.escalations.freed import free_kept_claims
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.released import release_the_away
from circles.services.escalations.resurface import bring_back_snoozed
from circles.services.escalations.sending import (
    ODD_ROW,
    Admins,
    Sending,
    facilitators_hearing,
    tell,
    to_admins,
)
from circles.services.escalations.unreached import unreached

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """What one escalation's follow-up does: whom it tells, and what it then keeps of having done so."""

    escalation: Escalation
    changes: dict[str, Any]  # the escalation's columns once the step is taken
    told: tuple[tuple[Sending, Action], ...] = ()  # each sending, with the line it adds to the audit trail


def follow_up_unclaimed(
    session: Session, now: datetime, admins: Admins, *, decrypt: Decrypt | None = None
) -> int:
    """Take every follow-up step that is due; returns how many were taken.

    An escalation still open `unclaimed_escalation_hours` after it was sent goes once more to the
    cohort's facilitators; the same time after that, to the workspace's admins. Each step is recorded
    in the audit trail and never repeated. A snooze that has run out puts the escalation before the
    facilitators again, and its follow-ups start afresh. One claimed by someone now kept from its pair, or
    gone away for long since claiming it (`release_the_away`), is open again, as nobody is reaching out.
    One whose partnership has ended meanwhile, or whose cohort is archived, is resolved as ended instead,
    and nobody hears of it again.

    Every step is worked out, and every card drawn, before anything is written: an odd row (a threshold
    past what a date holds) is left out of the batch, logged, and waits for a signal.
    """
    taken = free_kept_claims(session, now, decrypt)
    taken += release_the_away(session, now, admins, decrypt)
    taken += bring_back_snoozed(session, now, admins, decrypt)
    rows = still_partnered(session, follow_ups_due(session, now), now)  # locked: another watch takes others
    facilitators = reachable_facilitators(session, {cohort.id for _, cohort in rows}, now)
    hearing = facilitators_hearing(session, [escalation for escalation, _ in rows], facilitators)
    lost = unreached(session, _early(rows, now), facilitators)
    steps: list[Step] = []
    odd: dict[int, str] = {}
    for escalation, cohort in rows:
        try:
            if escalation.id in lost:
                steps.append(_nobody_reached(escalation, facilitators, lost[escalation.id], admins, now))
            else:
                steps.append(_next_step(escalation, cohort, facilitators, hearing, admins, now))
        except ODD_ROW as error:
            odd[escalation.id] = type(error).__name__
    tell(session, [told for step in steps for told in step.told], now, decrypt=decrypt, odd=odd)
    for step in steps:
        if step.escalation.id not in odd:
            for name, value in step.changes.items():
                setattr(step.escalation, name, value)
            taken += 1 if step.told else 0
    for escalation, cohort in rows:
        if escalation.id in odd:
            # The others are still followed up; this one waits for a signal. Ids only, never content.
            logger.warning(
                "follow-up skipped escalation %s of cohort %s: %s",
                escalation.id,
                cohort.id,
                odd[escalation.id],
            )
            escalation.follow_up_at = None
    session.flush()
    return taken


def _next_step(
    escalation: Escalation,
    cohort: Cohort,
    facilitators: Mapping[int, list[str]],
    hearing: Mapping[int, list[str]],
    admins: Admins,
    now: datetime,
) -> Step:
    """This escalation's follow-up step, if one is due; else when to look at it again, if ever."""
    hours = HealthThresholds.from_json(cohort.health_thresholds).unclaimed_escalation_hours
    if escalation.status is not EscalationStatus.OPEN or escalation.follow_ups >= len(FollowUp):
        return Step(escalation, {"follow_up_at": None})  # claimed, snoozed, resolved or followed up twice
    sent_at = escalation.sent_at or escalation.opened_at
    step = follow_up_due(sent_at, escalation.follow_ups, hours, now)
    if step is None:
        return Step(escalation, {"follow_up_at": sent_at + timedelta(hours=hours)})
    asked = facilitators.get(cohort.id, [])
    if step is FollowUp.REMIND and hearing.get(escalation.id):
        told = (Sending(escalation, asked, f"reminder{escalation.sendings}"), Action.REMINDED)
        follow_ups = escalation.follow_ups + 1
    else:
        # Facilitators have had it twice already, or none may have it now (those left are of the pair, or
        # none is left): the admins are the ones not yet asked, and nothing follows.
        told = (to_admins(escalation, admins, asked), Action.SENT_TO_ADMINS)
        follow_ups = len(FollowUp)
    later = now + timedelta(hours=hours) if follow_ups < len(FollowUp) else None
    return Step(escalation, {"follow_ups": follow_ups, "sent_at": now, "follow_up_at": later}, (told,))


def _early(rows: list[tuple[Escalation, Cohort]], now: datetime) -> list[Escalation]:
    """The open escalations looked at before their follow-up's time: a copy may have failed meanwhile."""
    early = []
    for escalation, cohort in rows:
        if escalation.status is not EscalationStatus.OPEN or escalation.follow_ups >= len(FollowUp):
            continue
        try:
            hours = HealthThresholds.from_json(cohort.health_thresholds).unclaimed_escalation_hours
            sent_at = escalation.sent_at or escalation.opened_at
            if follow_up_due(sent_at, escalation.follow_ups, hours, now) is None:
                early.append(escalation)
        except ODD_ROW:
            continue  # an odd row: the follow-up below skips it, and says so
    return early


def _nobody_reached(
    escalation: Escalation,
    facilitators: Mapping[int, list[str]],
    failed: set[str],
    admins: Admins,
    now: datetime,
) -> Step:
    """No facilitator could receive the alert: the follow-up's steps at once, to whoever was not tried
    (a facilitator added since) and to the admins, each once; nothing follows after."""
    asked = [user for user in facilitators.get(escalation.cohort_id, []) if user not in failed]
    told = []
    if asked:
        told.append((Sending(escalation, asked, f"reminder{escalation.sendings}"), Action.REMINDED))
    told.append((to_admins(escalation, admins, {*asked, *failed}), Action.SENT_TO_ADMINS))
    return Step(escalation, {"follow_ups": len(FollowUp), "sent_at": now, "follow_up_at": None}, tuple(told))
