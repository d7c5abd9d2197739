"""What an escalation's private message shows, drawn for many escalations from a few queries, and its
audit trail."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from circles.domain.escalations import Action, Outcome
from circles.domain.vocabulary import EscalationStatus, PartnershipHealthState
from circles.messages import UNNAMED, Claim, EscalationCard, Resolution, Snooze, TrendPoint
from circles.persistence.db import Session
from circles.persistence.models import Escalation, EscalationEvent
from circles.queries.escalation_cards import CardPair, card_pairs, latest_events_by_action
from circles.queries.escalations import add_events
from circles.queries.escalations.redraws import COPY, under
from circles.services.escalations.notes import Decrypt, NotesRead, read_shared_notes_of


def copy_prefix(escalation_id: int) -> str:
    """What the keys of an escalation's DMs start with: `escalation:<id>:<person>:<occasion>`."""
    return under(COPY, escalation_id)


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
) -> dict[int, EscalationCard]:
    """Each alert's card, by escalation id, in a fixed number of queries however many there are."""
    unresolved = [e for e in escalations if e.status is not EscalationStatus.RESOLVED]
    noted = [] if for_admins else [escalation.partnership_id for escalation in unresolved]
    sources = card_sources(session, escalations, decrypt=decrypt, noted=noted)
    return {escalation.id: sources.card(escalation, occasion, for_admins) for escalation in escalations}


@dataclass(frozen=True)
class CardSources:
    """What cards are drawn from, read once for many escalations: their pairs, notes and audit trails."""

    pairs: Mapping[int, CardPair]
    notes: Mapping[int, NotesRead]
    events: Mapping[int, Mapping[str, EscalationEvent]]

    def card(self, escalation: Escalation, occasion: str, for_admins: bool = False) -> EscalationCard:
        """The escalation's card on this occasion, for its facilitators or (without notes) its admins.

        Shared notes go to facilitators only, and only while the escalation is unresolved: admins who are
        asked when nobody picked it up see the reasons, not what partners wrote for their facilitators.
        """
        noted = not for_admins and escalation.status is not EscalationStatus.RESOLVED
        read = self.notes.get(escalation.partnership_id, NotesRead([])) if noted else NotesRead([])
        pair = self.pairs[escalation.partnership_id]
        latest = self.events.get(escalation.id, {})
        return _card(escalation, pair, read, latest, occasion, for_admins)


def card_sources(
    session: Session,
    escalations: Collection[Escalation],
    *,
    decrypt: Decrypt | None,
    noted: Collection[int],
    pairs: Mapping[int, CardPair] | None = None,
) -> CardSources:
    """Read what these escalations' cards show in a fixed number of queries, the shared notes of the
    `noted` partnerships only; `pairs` are the escalations' pairs when the caller has read them already."""
    if pairs is None:
        pairs = card_pairs(session, {escalation.partnership_id for escalation in escalations})
    notes = read_shared_notes_of(session, sorted(set(noted)), decrypt)
    events = latest_events_by_action(session, [escalation.id for escalation in escalations])
    return CardSources(pairs, notes, events)


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
        first=_named(pair, pair.first_user_id),
        second=_named(pair, pair.second_user_id),
        partnership_status=pair.partnership.status,
        state=PartnershipHealthState(escalation.state) if escalation.state else None,
        reasons=tuple(escalation.reasons or []),
        trend=tuple(TrendPoint.from_stored(point) for point in escalation.trend or []),
        notes=tuple(replace(note, author=_named(pair, note.author)) for note in read.notes),
        notes_unavailable=read.unavailable,
        status=escalation.status,
        claim=Claim(escalation.claimed_by, escalation.claimed_at) if escalation.claimed_by else None,
        snooze=snooze if snooze != Snooze() else None,
        resolution=resolution if resolution != Resolution() else None,
        occasion=occasion,
        for_admins=for_admins,
    )


def _named(pair: CardPair, user_id: str) -> str:
    """A partner's Slack ID, or nobody's once they were erased since the pair began (shown as erased)."""
    return UNNAMED if user_id in pair.erased else user_id


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
    add_events(session, [event(escalation, actor, action, now, detail) for escalation, detail in entries])


def event(
    escalation: Escalation, actor: str, action: Action, now: datetime, detail: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One line of an escalation's audit trail, as stored."""
    return {
        "workspace_id": escalation.workspace_id,
        "escalation_id": escalation.id,
        "actor": actor,
        "action": action.value,
        "detail": detail or {},
        "at": now,
    }
