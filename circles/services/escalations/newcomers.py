"""A facilitator added to a cohort is handed the alerts already waiting there, at once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.domain.own_pairs import who_may_hear
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.escalations import unresolved_in_cohort
from circles.queries.partnerships.ever import kept_from_pairs
from circles.services.escalations.cards import copy_prefix, escalation_cards
from circles.services.escalations.notes import Decrypt
from circles.services.outbox.enqueue import Outgoing, enqueue_many

OCCASION = "added"  # the occasion of a newcomer's copy, in its idempotency key and card


def hand_over(
    session: Session, cohort: Cohort, newcomers: Collection[str], now: datetime, *, decrypt: Decrypt | None
) -> int:
    """Send each new facilitator the cohort's unresolved alerts (open, claimed or snoozed), as the others
    see them; returns how many copies were recorded.

    Each copy goes once per alert and person, whatever is saved later, and never to one of the pair nor
    anyone ever paired with either (`kept_from_pairs`, as for every alert). Later claims, snoozes and
    resolutions redraw it like the others' copies.
    """
    if not newcomers:
        return 0
    unresolved = unresolved_in_cohort(session, cohort.id)
    kept = kept_from_pairs(session, {e.id: (cohort.workspace_id, partners) for e, partners in unresolved})
    heard = [(escalation, who_may_hear(newcomers, kept[escalation.id])) for escalation, _ in unresolved]
    heard = [(escalation, people) for escalation, people in heard if people]
    cards = escalation_cards(session, [e for e, _ in heard], occasion=OCCASION, decrypt=decrypt)
    messages = [
        Outgoing(f"{copy_prefix(escalation.id)}{user}:{OCCASION}", user, cards[escalation.id])
        for escalation, people in heard
        for user in people
    ]
    return enqueue_many(session, cohort.workspace_id, messages, now, now)
