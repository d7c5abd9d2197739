"""Escalations nobody picked up: sent again to the facilitators, then to the admins; snoozes that ran out.

Each escalation keeps when its follow-up is next looked at (`follow_up_at`), so a pass reads only the
escalations whose time has come, by index, however many exist.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import APP_ACTOR, Action, FollowUp, follow_up_due
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import facilitators_by_cohort
from circles.queries.escalations import follow_ups_due, snoozes_run_out
from circles.queries.partnerships import ended_among
from circles.services.escalations.cards import record, send
from circles.services.escalations.ended import close_as_ended
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.unreached import unreached

logger = logging.getLogger(__name__)

# Workspace id to its admins' Slack user IDs, or the same admins for every workspace.
Admins = Mapping[int, Collection[str]] | Collection[str]


def follow_up_unclaimed(
    session: Session, now: datetime, admins: Admins, *, decrypt: Decrypt | None = None
) -> int:
    """Take every follow-up step that is due; returns how many were taken.

    An escalation still open `unclaimed_escalation_hours` after it was sent goes once more to the
    cohort's facilitators; the same time after that, to the workspace's admins. Each step is recorded
    in the audit trail and never repeated. A snooze that has run out puts the escalation before the
    facilitators again, and its follow-ups start afresh. One whose partnership has ended meanwhile is
    resolved as ended instead, and nobody hears of it again.
    """
    taken = _snoozes_run_out(session, now, decrypt)
    rows = _still_partnered(session, follow_ups_due(session, now), now)  # locked: another watch takes others
    facilitators = facilitators_by_cohort(session, {cohort.id for _, cohort in rows})
    lost = unreached(session, _early(rows, now), facilitators)
    for escalation, cohort in rows:
        try:
            with session.begin_nested():  # one odd row (a threshold past what a date holds) is its own
                if escalation.id in lost:
                    taken += _nobody_reached(
                        session, escalation, facilitators, lost[escalation.id], admins, now, decrypt
                    )
                else:
                    taken += _follow_up(session, escalation, cohort, facilitators, admins, now, decrypt)
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # The others are still followed up; this one waits for a signal. Ids only, never content.
            logger.warning(
                "follow-up skipped escalation %s of cohort %s: %s",
                escalation.id,
                cohort.id,
                type(error).__name__,
            )
            escalation.follow_up_at = None
    session.flush()
    return taken


def _follow_up(
    session: Session,
    escalation: Escalation,
    cohort: Cohort,
    facilitators: dict[int, list[str]],
    admins: Admins,
    now: datetime,
    decrypt: Decrypt | None,
) -> int:
    """Take this escalation's follow-up step if one is due; 1 when one was taken."""
    hours = HealthThresholds.from_json(cohort.health_thresholds).unclaimed_escalation_hours
    escalation.follow_up_at = None  # claimed, snoozed, resolved or followed up twice: nothing follows
    if escalation.status is not EscalationStatus.OPEN or escalation.follow_ups >= len(FollowUp):
        return 0
    sent_at = escalation.sent_at or escalation.opened_at
    step = follow_up_due(sent_at, escalation.follow_ups, hours, now)
    if step is None:
        escalation.follow_up_at = sent_at + timedelta(hours=hours)
        return 0
    asked = facilitators.get(cohort.id, [])
    if step is FollowUp.REMIND:
        occasion = f"reminder{escalation.sendings}"
        to = send(session, escalation, asked, occasion, now, decrypt=decrypt)
        record(session, escalation, APP_ACTOR, Action.REMINDED, now, {"to": to})
    else:
        # Facilitators have had it twice already; the admins are the ones not yet asked.
        send_to_admins(session, escalation, admins, asked, now)
    escalation.follow_ups += 1
    escalation.sent_at = now
    if escalation.follow_ups < len(FollowUp):
        escalation.follow_up_at = now + timedelta(hours=hours)
    return 1


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
        except (ArithmeticError, LookupError, TypeError, ValueError):
            continue  # an odd row: the follow-up below skips it, and says so
    return early


def _nobody_reached(
    session: Session,
    escalation: Escalation,
    facilitators: dict[int, list[str]],
    failed: set[str],
    admins: Admins,
    now: datetime,
    decrypt: Decrypt | None,
) -> int:
    """No facilitator could receive the alert: the follow-up's steps at once, to whoever was not tried
    (a facilitator added since) and to the admins, each once; nothing follows after."""
    asked = [user for user in facilitators.get(escalation.cohort_id, []) if user not in failed]
    if asked:
        to = send(session, escalation, asked, f"reminder{escalation.sendings}", now, decrypt=decrypt)
        record(session, escalation, APP_ACTOR, Action.REMINDED, now, {"to": to})
    send_to_admins(session, escalation, admins, {*asked, *failed}, now)
    escalation.follow_ups = len(FollowUp)
    escalation.sent_at = now
    escalation.follow_up_at = None
    return 1


def send_to_admins(
    session: Session, escalation: Escalation, admins: Admins, asked: Collection[str], now: datetime
) -> list[str]:
    """The alert, without the partners' notes, to the workspace's admins not asked already; who got it.

    Once per sending: the same admins are not asked twice about it, whichever step asks.
    """
    wanted = set(admins_of(admins, escalation.workspace_id)) - set(asked)
    occasion = f"admins{escalation.sendings}"
    to = send(session, escalation, wanted, occasion, now, decrypt=None, for_admins=True)
    record(session, escalation, APP_ACTOR, Action.SENT_TO_ADMINS, now, {"to": to})
    return to


def _snoozes_run_out(session: Session, now: datetime, decrypt: Decrypt | None) -> int:
    """Put each escalation whose snooze has ended before the facilitators again, as it was before."""
    rows = _still_partnered(session, snoozes_run_out(session, now), now)
    facilitators = facilitators_by_cohort(session, {cohort.id for _, cohort in rows})
    for escalation, cohort in rows:
        hours = HealthThresholds.from_json(cohort.health_thresholds).unclaimed_escalation_hours
        escalation.status = EscalationStatus.CLAIMED if escalation.claimed_by else EscalationStatus.OPEN
        escalation.snoozed_until = None
        escalation.sendings += 1
        escalation.sent_at = now
        escalation.follow_ups = 0
        opened = escalation.status is EscalationStatus.OPEN
        escalation.follow_up_at = now + timedelta(hours=hours) if opened else None
        session.flush()
        occasion = f"back{escalation.sendings}"
        to = send(session, escalation, facilitators.get(cohort.id, []), occasion, now, decrypt=decrypt)
        record(session, escalation, APP_ACTOR, Action.RESURFACED, now, {"to": to})
    return len(rows)


def _still_partnered(
    session: Session, rows: list[tuple[Escalation, Cohort]], now: datetime
) -> list[tuple[Escalation, Cohort]]:
    """The rows whose partnership still runs; the others are resolved as ended, by the app, and nobody is
    reminded of a pair that no longer exists. Every ending resolves its alert at once
    (circles.services.partnerships.endings); this catches a pair ended outside them, e.g. by hand."""
    ended = ended_among(session, {escalation.partnership_id for escalation, _ in rows})
    for escalation, _ in rows:
        if escalation.partnership_id in ended:
            close_as_ended(session, escalation, now)
    return [(escalation, cohort) for escalation, cohort in rows if escalation.partnership_id not in ended]


def admins_of(admins: Admins, workspace_id: int) -> Collection[str]:
    """The admins who hear about this workspace."""
    if isinstance(admins, Mapping):
        return admins.get(workspace_id, ())
    return admins
