"""What an escalation's private message shows, and sending it to the people who may act on it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.escalations import Action
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Member, Partnership
from circles.services.escalations_notes import Decrypt, shared_notes
from circles.services.outbox import Outgoing, enqueue_many

TEMPLATE = "escalation"


def card_args(
    session: Session,
    escalation: Escalation,
    *,
    occasion: str,
    decrypt: Decrypt | None,
    for_admins: bool = False,
) -> dict[str, Any]:
    """The plain values the `escalation` template renders: the pair, why, the trend, notes and status.

    Shared notes go to facilitators only, and only while the escalation is unresolved: admins who are
    asked when nobody picked it up see the reasons, not what partners wrote for their facilitators.
    """
    pair = session.get_one(Partnership, escalation.partnership_id)
    cohort = session.get_one(Cohort, escalation.cohort_id)
    first = session.get_one(Member, pair.first_member_id).slack_user_id
    second = session.get_one(Member, pair.second_member_id).slack_user_id
    show_notes = not for_admins and escalation.status is not EscalationStatus.RESOLVED
    notes = shared_notes(session, pair.id, decrypt) if show_notes else []
    latest = _latest_by_action(session, escalation.id)
    snoozed, resolved = latest.get(Action.SNOOZED), latest.get(Action.RESOLVED)
    return {
        "escalation_id": escalation.id,
        "occasion": occasion,
        "for_admins": for_admins,
        "cohort_name": cohort.name,
        "slug": cohort.slug,
        "kind": pair.kind.value,
        "first": first,
        "second": second,
        "partnership_status": pair.status.value,
        "state": escalation.state or "",
        "reasons": list(escalation.reasons or []),
        "trend": [list(point) for point in escalation.trend or []],
        "notes": [{"author": n.author_user_id, "at": n.at.isoformat(), "text": n.text} for n in notes],
        "status": escalation.status.value,
        "claimed_by": escalation.claimed_by,
        "claimed_at": _iso(escalation.claimed_at),
        "snoozed_until": _iso(escalation.snoozed_until),
        "snoozed_by": snoozed.actor if snoozed else None,
        "resolved_at": _iso(escalation.resolved_at),
        "resolved_by": resolved.actor if resolved else None,
        "outcome": escalation.outcome,
        "comment": str(resolved.detail.get("comment") or "") if resolved else "",
    }


def send(
    session: Session,
    escalation: Escalation,
    recipients: Iterable[str],
    occasion: str,
    now: datetime,
    *,
    decrypt: Decrypt | None,
    for_admins: bool = False,
) -> list[str]:
    """Record one private DM per recipient for this occasion (each at most once); returns who gets one."""
    people = sorted(set(recipients))
    if not people:
        return []
    args = card_args(session, escalation, occasion=occasion, decrypt=decrypt, for_admins=for_admins)
    messages = [
        Outgoing(f"escalation:{escalation.id}:{user}:{occasion}", user, TEMPLATE, args, private=True)
        for user in people
    ]
    enqueue_many(session, escalation.workspace_id, messages, now, now)
    return people


def record(
    session: Session,
    escalation: Escalation,
    actor: str,
    action: Action,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one line to the audit trail: who did what, when."""
    session.add(
        EscalationEvent(
            workspace_id=escalation.workspace_id,
            escalation_id=escalation.id,
            actor=actor,
            action=action.value,
            detail=detail or {},
            at=now,
        )
    )
    session.flush()


def _latest_by_action(session: Session, escalation_id: int) -> dict[str, EscalationEvent]:
    events = session.scalars(
        select(EscalationEvent)
        .where(EscalationEvent.escalation_id == escalation_id)
        .order_by(EscalationEvent.at, EscalationEvent.id)
    )
    return {event.action: event for event in events}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
