"""Sending escalations' private messages to the people who may act on them, many at once.

However many alerts are sent together (a cohort-wide bad week, follow-ups of hundreds of workspaces at
one tick), their pairs, notes and audit trails are read, their DMs recorded and the steps written to
the audit trail in a fixed number of statements.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from circles.domain.escalations import APP_ACTOR, Action
from circles.domain.own_pairs import who_may_hear
from circles.domain.vocabulary import EscalationStatus
from circles.messages import EscalationCard, stored
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.escalation_cards import card_pairs, kept_from
from circles.queries.escalations import add_events
from circles.services.escalations.cards import card_sources, copy_prefix, event
from circles.services.escalations.notes import Decrypt
from circles.services.outbox.enqueue import Outgoing, enqueue_across

# Workspace id to its admins' Slack user IDs, or the same admins for every workspace.
Admins = Mapping[int, Collection[str]] | Collection[str]

# What drawing the card of an odd stored row raises (a state, outcome or trend no version knows).
ODD_ROW = (ArithmeticError, LookupError, TypeError, ValueError)


@dataclass(frozen=True)
class Sending:
    """One escalation's DM to some people on one occasion (`opened`, `reminderN`, `backN`, `adminsN`)."""

    escalation: Escalation
    recipients: Collection[str]
    occasion: str
    for_admins: bool = False  # the card without the partners' notes, which are for facilitators only


def send_all(
    session: Session,
    sendings: Sequence[Sending],
    now: datetime,
    *,
    decrypt: Decrypt | None,
    odd: dict[int, str] | None = None,
) -> list[list[str]]:
    """Record one private DM per recipient of each sending (each at most once, by its key) in a fixed
    number of statements; returns who gets one, for each sending in order.

    A partner of the pair, or anyone ever paired with either partner, is never sent its alert, even as one
    of the cohort's facilitators or an admin (`kept_from`).
    Every card is drawn before anything is written. Given `odd`, an escalation whose stored row cannot be
    drawn is put in it (its id, with what was wrong) and none of its sendings go; without, the error rises.
    """
    if not sendings:
        return []
    pairs = card_pairs(session, {sending.escalation.partnership_id for sending in sendings})
    kept = kept_from(session, pairs)
    people = [who_may_hear(s.recipients, kept[s.escalation.partnership_id]) for s in sendings]
    heard = [(sending, to) for sending, to in zip(sendings, people, strict=True) if to]
    if not heard:
        return people
    escalations = {sending.escalation.id: sending.escalation for sending, _ in heard}
    noted = {s.escalation.partnership_id for s, _ in heard if not s.for_admins and _unresolved(s.escalation)}
    sources = card_sources(session, list(escalations.values()), decrypt=decrypt, noted=noted, pairs=pairs)
    failed: dict[int, str] = {}
    drawn: list[tuple[Sending, list[str], EscalationCard]] = []
    for sending, to in heard:
        try:
            card = sources.card(sending.escalation, sending.occasion, sending.for_admins)
            stored(card)  # what the outbox keeps of it: a row that cannot be kept fails here, not the batch
        except ODD_ROW as error:
            if odd is None:
                raise
            failed[sending.escalation.id] = type(error).__name__
            continue
        drawn.append((sending, to, card))
    messages = [
        (
            s.escalation.workspace_id,
            Outgoing(f"{copy_prefix(s.escalation.id)}{user}:{s.occasion}", user, card),
        )
        for s, to, card in drawn
        if s.escalation.id not in failed
        for user in to
    ]
    enqueue_across(session, messages, now, now)
    if odd is not None:
        odd.update(failed)
    return [[] if s.escalation.id in failed else to for s, to in zip(sendings, people, strict=True)]


def tell(
    session: Session,
    told: Sequence[tuple[Sending, Action]],
    now: datetime,
    *,
    decrypt: Decrypt | None,
    odd: dict[int, str] | None = None,
) -> None:
    """Send each, and add a line to its escalation's audit trail by the app, with who got it: all in a
    fixed number of statements. An escalation put in `odd` (see `send_all`) has nothing sent or recorded."""
    before = set(odd or ())
    sent = send_all(session, [sending for sending, _ in told], now, decrypt=decrypt, odd=odd)
    left_out = set(odd or ()) - before
    events = [
        event(sending.escalation, APP_ACTOR, action, now, {"to": to})
        for (sending, action), to in zip(told, sent, strict=True)
        if sending.escalation.id not in left_out
    ]
    add_events(session, events)


def facilitators_hearing(
    session: Session, escalations: Collection[Escalation], facilitators: Mapping[int, Collection[str]]
) -> dict[int, list[str]]:
    """Of each escalation's cohort's facilitators, those who may hear of it (never one of its pair, nor anyone
    ever paired with either: `kept_from`), by escalation id; read in a fixed number of statements."""
    if not escalations:
        return {}
    kept = kept_from(session, card_pairs(session, {escalation.partnership_id for escalation in escalations}))
    return {
        e.id: who_may_hear(facilitators.get(e.cohort_id, ()), kept[e.partnership_id]) for e in escalations
    }


def _unresolved(escalation: Escalation) -> bool:
    return escalation.status is not EscalationStatus.RESOLVED


def to_admins(escalation: Escalation, admins: Admins, asked: Collection[str]) -> Sending:
    """The alert, without the partners' notes, to the workspace's admins not asked already.

    Once per sending: the same admins are not asked twice about it, whichever step asks.
    """
    wanted = set(admins_of(admins, escalation.workspace_id)) - set(asked)
    return Sending(escalation, wanted, f"admins{escalation.sendings}", for_admins=True)


def admins_of(admins: Admins, workspace_id: int) -> Collection[str]:
    """The admins who hear about this workspace (nobody, for a workspace the mapping does not name)."""
    if isinstance(admins, Mapping):
        return admins.get(workspace_id, ())
    return admins


def in_order(admins: Admins) -> Admins:
    """The same admins, sorted within each workspace: who is asked first does not change between passes."""
    if isinstance(admins, Mapping):
        return {workspace_id: sorted(users) for workspace_id, users in admins.items()}
    return sorted(admins)
