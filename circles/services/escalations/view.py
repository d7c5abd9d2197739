"""An escalation as it stands after an action: the card each copy of its message should show, and where."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from circles.domain.own_pairs import who_may_hear
from circles.domain.vocabulary import EscalationStatus
from circles.messages import EscalationCard
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.cohorts import facilitators_by_cohort
from circles.queries.escalation_cards import card_pairs, kept_from
from circles.queries.outbox.copies import SentCopy, sent_under
from circles.services.escalations.cards import card_sources, copy_prefix
from circles.services.escalations.notes import Decrypt


@dataclass(frozen=True)
class MessageCopy:
    """One DM the escalation was posted as (from the sent outbox row's result)."""

    channel: str
    ts: str
    for_admins: bool = False
    withdrawn: bool = False  # its reader is kept from the pair, or a facilitator's no longer facilitates
    reader: str = ""  # whose DM it is, as its key says; "" when the outbox does not know it


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
    """The escalation as it stands now, as `actor` acting on it sees it."""
    return current_views(session, [escalation], decrypt, actor)[0]


def current_views(
    session: Session, escalations: Sequence[Escalation], decrypt: Decrypt | None, actor: str
) -> list[EscalationView]:
    """Each escalation as it stands now, in order, read in a fixed number of statements however many."""
    if not escalations:
        return []
    pairs = card_pairs(session, {escalation.partnership_id for escalation in escalations})
    facilitators = facilitators_by_cohort(session, {escalation.cohort_id for escalation in escalations})
    unresolved = [e.partnership_id for e in escalations if e.status is not EscalationStatus.RESOLVED]
    sources = card_sources(session, escalations, decrypt=decrypt, noted=unresolved, pairs=pairs)
    sent = sent_under(session, {(e.workspace_id, copy_prefix(e.id)) for e in escalations})
    kept = kept_from(session, pairs)
    views = []
    for escalation in escalations:
        kept_out = kept[escalation.partnership_id]
        hearing = set(who_may_hear(facilitators.get(escalation.cohort_id, []), kept_out))
        views.append(
            EscalationView(
                escalation.id,
                sources.card(escalation, "update"),
                sources.card(escalation, "update", for_admins=True),
                tuple(_copies(sent.get(copy_prefix(escalation.id), []), hearing, kept_out)),
                actor in hearing,
            )
        )
    return views


def _copies(sent: Sequence[SentCopy], facilitators: set[str], kept: Collection[str]) -> list[MessageCopy]:
    """Every DM the escalation went out as, where the sent row says where it landed.

    A copy is withdrawn, redrawn without the pair's health or notes, once its reader is kept from the pair
    (one of it, or paired since with either partner), an admin's too; a facilitator's also once they no
    longer facilitate the cohort. An admin's is theirs whoever facilitates.
    """
    copies: dict[tuple[str, str], MessageCopy] = {}
    for row in sent:
        result = row.result or {}
        channel, ts = result.get("channel"), result.get("ts")
        if isinstance(channel, str) and isinstance(ts, str):
            user, occasion = row.idempotency_key.split(":")[-2:]  # escalation:<id>:<user>:<occasion>
            for_admins = occasion.startswith("admins")
            withdrawn = user in kept if for_admins else user not in facilitators
            copies[(channel, ts)] = MessageCopy(channel, ts, for_admins, withdrawn, user)
    return sorted(copies.values(), key=lambda c: (c.channel, c.ts))
