"""A call that reached Slack, recorded: the row is sent, whoever claimed it, and a survey's invitation
delivered with it. A row superseded while its call was in flight (an erasure, an ending, a resolve: the
sender looks at each row again just before its call, so only a call already on its way can land so) stays
superseded, as what superseded it wanted it unsent; where it landed is kept in its result, and a warning
logged. An alert's copy is the exception: a copy in someone's DM is one the alert's redraws must find, so
it is recorded sent, and redrawn at once when it is out of date: withdrawn when its reader may no longer
hear of the pair (taken off the cohort, or paired since with a partner, `escalations.withdrawn`), as
resolved when the alert was resolved meanwhile, as it now stands when anything was done to it since the
copy was queued (a claim, a snooze: a copy that waited on Slack must not offer a claim already taken). Its
cohort is held first, as a save taking a facilitator off and a resolve hold it: of the two, the one coming
second sees the other, the save or the resolve finding the copy sent, or the landing finding the change."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from circles.domain.escalations import APP_ACTOR
from circles.domain.vocabulary import EscalationStatus, OutboxStatus
from circles.messages import stored
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Escalation
from circles.queries.cohorts import hold_cohort
from circles.queries.escalations import escalations_by_id
from circles.queries.escalations.changed import changed_since
from circles.queries.outbox.claims import settle_sent
from circles.queries.outbox.rows import NewMessage, add_new
from circles.queries.outbox.sending import Landed, settle_landed
from circles.services.escalations.view import current_views
from circles.services.escalations.withdrawn import withdrawn_redraws
from circles.services.outbox.alerts import alert_copy
from circles.services.outbox.surveys import record_delivered

logger = logging.getLogger(__name__)


def mark_sent(
    uow: UnitOfWork,
    message_id: int,
    result: dict[str, Any],
    now: datetime,
    payload: Any = None,
    key: str = "",
) -> bool:
    """Record that Slack has the message (`result` e.g. {"channel", "ts"}); False if it was already sent, or
    superseded meanwhile. `payload` and `key` are the row's, as claimed: a survey's invitation is recorded
    delivered, and an alert's copy redrawn when out of date (see the module)."""
    with uow:
        landed = record_landed(uow.session, message_id, result, now, payload, key)
        uow.commit()
        return landed is not None and landed.status is OutboxStatus.SENT


def record_landed(
    session: Session, message_id: int, result: dict[str, Any], now: datetime, payload: Any, key: str
) -> Landed | None:
    """mark_sent in the caller's transaction; None when the row was already recorded sent."""
    copy = alert_copy(key)
    escalation = _held(session, copy[0]) if copy else None
    landed = settle_landed(session, message_id, result, now, over_superseded=escalation is not None)
    if landed is None:
        return None
    if landed.superseded:  # its id only: what it said, and to whom, stays out of the log
        logger.warning("outbox row %s reached Slack after it was superseded", message_id)
    if landed.status is OutboxStatus.SENT:
        if payload is not None:
            record_delivered(session, [payload], now)
        if escalation is not None:
            _redraw_if_out_of_date(session, escalation, result, landed.queued_at, now)
    return landed


def record_sent(session: Session, message_id: int, result: dict[str, Any], now: datetime) -> bool:
    """That Slack has a round's step, in the caller's transaction that records more with it (its next step);
    False if it was already recorded sent."""
    return settle_sent(session, message_id, result, now)


def _held(session: Session, escalation_id: int) -> Escalation | None:
    """The alert, read again once its cohort is held; None when it is gone (its pair erased)."""
    found = escalations_by_id(session, {escalation_id}).get(escalation_id)
    if found is None:
        return None
    hold_cohort(session, found.cohort_id)
    session.refresh(found)
    return found


def _redraw_if_out_of_date(
    session: Session, escalation: Escalation, result: dict[str, Any], queued_at: datetime, now: datetime
) -> None:
    """Queue the redraw of the copy that landed where `result` says, when it shows what it should not: the
    alert resolved, or anything done to it (a claim, a snooze, a release) since the copy was queued."""
    [view] = current_views(session, [escalation], None, APP_ACTOR)
    where = (result.get("channel"), result.get("ts"))
    copy = next((c for c in view.copies if (c.channel, c.ts) == where), None)
    if copy is None:
        return
    if copy.withdrawn:
        add_new(session, withdrawn_redraws(session, [(escalation, view, copy)], now), now)
    elif escalation.status is EscalationStatus.RESOLVED or changed_since(session, escalation.id, queued_at):
        row = stored(view.card_for(copy))
        row["args"]["ts"] = copy.ts  # the message chat.update replaces
        key = f"escalation-landed:{escalation.id}:{copy.channel}:{copy.ts}"
        redraw = NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now)
        add_new(session, [redraw], now)
