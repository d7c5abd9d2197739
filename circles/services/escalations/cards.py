"""What an escalation's private message shows, and sending it to the people who may act on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from circles.domain.escalations import Action, Outcome
from circles.domain.own_pairs import who_may_hear
from circles.domain.vocabulary import EscalationStatus, PartnershipHealthState
from circles.messages import Claim, EscalationCard, Resolution, Snooze, TrendPoint
from circles.persistence.db import Session
from circles.persistence.models import Escalation, EscalationEvent
from circles.queries.escalation_cards import CardPair, card_pairs, latest_events_by_action
from circles.queries.escalations import add_events
from circles.services.escalations.notes import Decrypt, NotesRead, read_shared_notes_of
from circles.services.outbox.enqueue import Outgoing, enqueue_across


def copy_prefix(escalation_id: int) -> str:
    """What the keys of an escalation's DMs start with: `escalation:<id>:<person>:<occasion>`."""
    return f"escalation:{escalation_id}:"


def escalation_card(
    session: Session,
    escalation: Escalation,
    *,
    occasion: str,
    decrypt: Decrypt | None,
    for_admins: bool = False,
) -> EscalationCard:
    """What the alert shows: the pair, why, the trend, notes and where it stands (see `escalation_cards`)."""
    found = escalation_cards(session, [escalation], occasion=occasion, decrypt=decrypt, for_admins=for_admins)
    return found[escalation.id]


def escalation_cards(
    session: Session,
    escalations: Sequence[Escalation],
    *,
    occasion: str,
    decrypt: Decrypt | None,
    for_admins: bool = False,
    pairs: Mapping[int, CardPair] | None = None,
) -> dict[int, EscalationCard]:
    """Each alert's card, by escalation id, in a fixed number of queries however many there are.

    Shared notes go to facilitators only, and only while the escalation is unresolved: admins who are
    asked when nobody picked it up see the reasons, not what partners wrote for their facilitators.
    `pairs` are the escalations' pairs when the caller has read them already.
    """
    if pairs is None:
        pairs = card_pairs(session, {escalation.partnership_id for escalation in escalations})
    unresolved = [e for e in escalations if e.status is not EscalationStatus.RESOLVED]
    noted = [] if for_admins else [escalation.partnership_id for escalation in unresolved]
    notes = read_shared_notes_of(session, noted, decrypt)
    events = latest_events_by_action(session, [escalation.id for escalation in escalations])
    return {
        escalation.id: _card(
            escalation,
            pairs[escalation.partnership_id],
            notes.get(escalation.partnership_id, NotesRead([])),
            events.get(escalation.id, {}),
            occasion,
            for_admins,
        )
        for escalation in escalations
    }


def _card(
    escalation: Escalation,
    pair: CardPair,
    read: NotesRead,
    latest: Mapping[str, EscalationEvent],
    occasion: str,
    for_admins: bool,
) -> EscalationCard:
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
        cohort_name=pair.cohort.name,
        slug=pair.cohort.slug,
        kind=pair.partnership.kind,
        first=pair.first_user_id,
        second=pair.second_user_id,
        partnership_status=pair.partnership.status,
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
    """Record one private DM per recipient for this occasion (each at most once); returns who gets one."""
    sendings = [(escalation, recipients)]
    return send_each(session, sendings, occasion, now, decrypt=decrypt, for_admins=for_admins)[escalation.id]


def send_each(
    session: Session,
    sendings: Sequence[tuple[Escalation, Iterable[str]]],
    occasion: str,
    now: datetime,
    *,
    decrypt: Decrypt | None,
    for_admins: bool = False,
) -> dict[int, list[str]]:
    """Record one private DM per recipient of each escalation for this occasion (each at most once), in
    a fixed number of statements; returns who gets one, by escalation id.

    A partner of the pair is never sent its alert, even as one of the cohort's facilitators or an admin.
    """
    pairs = card_pairs(session, {escalation.partnership_id for escalation, _ in sendings})
    people = {e.id: who_may_hear(to, pairs[e.partnership_id].partners) for e, to in sendings}
    heard = [escalation for escalation, _ in sendings if people[escalation.id]]
    if heard:
        cards = escalation_cards(
            session, heard, occasion=occasion, decrypt=decrypt, for_admins=for_admins, pairs=pairs
        )
        messages = [
            (e.workspace_id, Outgoing(f"{copy_prefix(e.id)}{user}:{occasion}", user, cards[e.id]))
            for e in heard
            for user in people[e.id]
        ]
        enqueue_across(session, messages, now, now)
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
    record_each(session, [(escalation, detail)], actor, action, now)


def record_each(
    session: Session,
    entries: Sequence[tuple[Escalation, dict[str, Any] | None]],
    actor: str,
    action: Action,
    now: datetime,
) -> None:
    """Add one line to each escalation's audit trail, with its detail, all in one statement."""
    rows = [
        {
            "workspace_id": escalation.workspace_id,
            "escalation_id": escalation.id,
            "actor": actor,
            "action": action.value,
            "detail": detail or {},
            "at": now,
        }
        for escalation, detail in entries
    ]
    add_events(session, rows)
