"""An escalation as it stands after an action: the card each copy of its message should show, and where."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.own_pairs import who_may_hear
from circles.messages import EscalationCard
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.cohorts import facilitator_ids
from circles.queries.escalations import partners_of
from circles.queries.outbox.rows import sent_with_key_prefix
from circles.services.escalations.cards import copy_prefix, escalation_card
from circles.services.escalations.notes import Decrypt


@dataclass(frozen=True)
class MessageCopy:
    """One DM the escalation was posted as (from the sent outbox row's result)."""

    channel: str
    ts: str
    for_admins: bool = False
    withdrawn: bool = False  # its facilitator no longer facilitates the cohort, or is one of the pair


@dataclass(frozen=True)
class EscalationView:
    """An escalation as it stands now: what each copy of its message should show."""

    escalation_id: int
    card: EscalationCard  # facilitators' copies
    admin_card: EscalationCard  # admins' copies, without the partners' notes
    copies: tuple[MessageCopy, ...]
    actor_facilitates: bool = True  # whether the person who acted is one of the cohort's facilitators

    def card_for(self, copy: MessageCopy) -> EscalationCard:
        return self.admin_card if copy.for_admins else self.card


def current_view(
    session: Session, escalation: Escalation, decrypt: Decrypt | None, actor: str
) -> EscalationView:
    partners = partners_of(session, escalation.partnership_id)
    facilitators = set(who_may_hear(facilitator_ids(session, escalation.cohort_id), partners))
    return EscalationView(
        escalation.id,
        escalation_card(session, escalation, occasion="update", decrypt=decrypt),
        escalation_card(session, escalation, occasion="update", decrypt=None, for_admins=True),
        tuple(_copies(session, escalation, facilitators)),
        actor in facilitators,
    )


def _copies(session: Session, escalation: Escalation, facilitators: set[str]) -> list[MessageCopy]:
    """Every DM the escalation went out as, where the sent row says where it landed.

    A facilitator's copy is withdrawn once they no longer facilitate the cohort (or are one of the pair):
    it is redrawn without the pair's health or notes.
    """
    copies: dict[tuple[str, str], MessageCopy] = {}
    for sent in sent_with_key_prefix(session, escalation.workspace_id, copy_prefix(escalation.id)):
        result = sent.result or {}
        channel, ts = result.get("channel"), result.get("ts")
        if isinstance(channel, str) and isinstance(ts, str):
            user, occasion = sent.idempotency_key.split(":")[-2:]  # escalation:<id>:<user>:<occasion>
            for_admins = occasion.startswith("admins")
            withdrawn = not for_admins and user not in facilitators
            copies[(channel, ts)] = MessageCopy(channel, ts, for_admins, withdrawn)
    return sorted(copies.values(), key=lambda c: (c.channel, c.ts))
