"""What an escalation's private message shows, and sending it to the people who may act on it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from circles.domain.escalations import Action, Outcome
from circles.domain.own_pairs import who_may_hear
from circles.domain.vocabulary import EscalationStatus, PartnershipHealthState
from circles.messages import Claim, EscalationCard, Resolution, Snooze, TrendPoint
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Member, Partnership
from circles.queries.escalations import latest_events_by_action, partners_of
from circles.services.escalations.notes import Decrypt, NotesRead, read_shared_notes
from circles.services.outbox.enqueue import Outgoing, enqueue_many


def escalation_card(
    session: Session,
    escalation: Escalation,
    *,
    occasion: str,
    decrypt: Decrypt | None,
    for_admins: bool = False,
) -> EscalationCard:
    """What the alert shows: the pair, why, the trend, notes and where it stands.

    Shared notes go to facilitators only, and only while the escalation is unresolved: admins who are
    asked when nobody picked it up see the reasons, not what partners wrote for their facilitators.
    """
    pair = session.get_one(Partnership, escalation.partnership_id)
    cohort = session.get_one(Cohort, escalation.cohort_id)
    first = session.get_one(Member, pair.first_member_id).slack_user_id
    second = session.get_one(Member, pair.second_member_id).slack_user_id
    show_notes = not for_admins and escalation.status is not EscalationStatus.RESOLVED
    read = read_shared_notes(session, pair.id, decrypt) if show_notes else NotesRead([])
    latest = latest_events_by_action(session, escalation.id)
    snoozed, resolved = latest.get(Action.SNOOZED), latest.get(Action.RESOLVED)
    snooze = Snooze(snoozed.actor if snoozed else None, escalation.snoozed_until)
    resolution = Resolution(
        resolved.actor if resolved else None,
        escalation.resolved_at,
        Outcome(escalation.outcome) if escalation.outcome else None,
        str(resolved.detail.get("comment") or "") if resolved else "",
    )
    return EscalationCard(
        escalation_id=escalation.id,
        cohort_name=cohort.name,
        slug=cohort.slug,
        kind=pair.kind,
        first=first,
        second=second,
        partnership_status=pair.status,
        state=PartnershipHealthState(escalation.state) if escalation.state else None,
        reasons=tuple(escalation.reasons or []),
        trend=tuple(TrendPoint.from_stored(point) for point in escalation.trend or []),
        notes=tuple(read.notes),
        notes_unavailable=read.unavailable,
        status=escalation.status,
        claim=Claim(escalation.claimed_by, escalation.claimed_at) if escalation.claimed_by else None,
        snooze=snooze if snooze != Snooze() else None,
        resolution=resolution if resolution != Resolution() else None,
        occasion=occasion,
        for_admins=for_admins,
    )


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
    """Record one private DM per recipient for this occasion (each at most once); returns who gets one.

    A partner of the pair is never sent its alert, even as one of the cohort's facilitators or an admin.
    """
    people = who_may_hear(recipients, partners_of(session, escalation.partnership_id))
    if not people:
        return []
    card = escalation_card(session, escalation, occasion=occasion, decrypt=decrypt, for_admins=for_admins)
    messages = [Outgoing(f"escalation:{escalation.id}:{user}:{occasion}", user, card) for user in people]
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
