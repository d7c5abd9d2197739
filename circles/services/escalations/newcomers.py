"""A facilitator added to a cohort is handed the alerts already waiting there, at once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.escalations import unresolved_in_cohort
from circles.services.escalations.cards import escalation_card
from circles.services.escalations.notes import Decrypt
from circles.services.outbox.enqueue import Outgoing, enqueue_many

OCCASION = "added"  # the occasion of a newcomer's copy, in its idempotency key and card


def hand_over(
    session: Session, cohort: Cohort, newcomers: Collection[str], now: datetime, *, decrypt: Decrypt | None
) -> int:
    """Send each new facilitator the cohort's unresolved alerts (open, claimed or snoozed), as the others
    see them; returns how many copies were recorded.

    Each copy goes once per alert and person, whatever is saved later, and never to one of the pair.
    Later claims, snoozes and resolutions redraw it like the others' copies.
    """
    if not newcomers:
        return 0
    messages: list[Outgoing] = []
    for escalation, partners in unresolved_in_cohort(session, cohort.id):
        people = sorted(set(newcomers) - partners)
        if not people:
            continue
        card = escalation_card(session, escalation, occasion=OCCASION, decrypt=decrypt)
        messages += [Outgoing(f"escalation:{escalation.id}:{user}:{OCCASION}", user, card) for user in people]
    return enqueue_many(session, cohort.workspace_id, messages, now, now)
