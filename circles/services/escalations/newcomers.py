"""A facilitator added to a cohort is handed the alerts already waiting there, at once: a copy of each, or
the copy they still hold, from before they were taken off, drawn in full again in place."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from circles.domain.escalations import APP_ACTOR
from circles.domain.own_pairs import who_may_hear
from circles.domain.vocabulary import OutboxStatus
from circles.messages import stored
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.escalations import unresolved_in_cohort
from circles.queries.outbox.copies import keyed_under
from circles.queries.outbox.rows import NewMessage, add_new
from circles.queries.partnerships.ever import kept_from_pairs
from circles.services.escalations.cards import copy_prefix, escalation_cards
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.view import current_views
from circles.services.escalations.withdrawn import restored_key, restores_of
from circles.services.outbox.enqueue import Outgoing, enqueue_many

OCCASION = "added"  # the occasion of a newcomer's copy, in its idempotency key and card

Held = set[tuple[int, str]]  # (escalation id, person)


def hand_over(
    session: Session, cohort: Cohort, newcomers: Collection[str], now: datetime, *, decrypt: Decrypt | None
) -> int:
    """Hand each new facilitator the cohort's unresolved alerts (open, claimed or snoozed), as the others
    see them; returns how many messages were recorded.

    Someone put back who still holds a copy sent before (withdrawn when they were taken off) has it redrawn
    in place, in full: no second alert in their DM. One whose copy is still waiting has it go as it is.
    Anyone else is sent a copy, once per alert and person, whatever is saved later. Never to one of the
    pair nor anyone ever paired with either (`kept_from_pairs`, as for every alert). Later claims, snoozes
    and resolutions redraw each copy like the others'.
    """
    if not newcomers:
        return 0
    unresolved = unresolved_in_cohort(session, cohort.id)
    kept = kept_from_pairs(session, {e.id: (cohort.workspace_id, partners) for e, partners in unresolved})
    hearing = {escalation.id: who_may_hear(newcomers, kept[escalation.id]) for escalation, _ in unresolved}
    heard = [escalation for escalation, _ in unresolved if hearing[escalation.id]]
    if not heard:
        return 0
    alive, sent = _held(session, heard)
    restored = _restore(
        session, [e for e in heard if any((e.id, p) in sent for p in hearing[e.id])], hearing, now, decrypt
    )
    fresh = [(e, [p for p in hearing[e.id] if (e.id, p) not in alive]) for e in heard]
    fresh = [(escalation, people) for escalation, people in fresh if people]
    cards = escalation_cards(session, [e for e, _ in fresh], occasion=OCCASION, decrypt=decrypt)
    messages = [
        Outgoing(f"{copy_prefix(escalation.id)}{user}:{OCCASION}", user, cards[escalation.id])
        for escalation, people in fresh
        for user in people
    ]
    return restored + enqueue_many(session, cohort.workspace_id, messages, now, now)


def _held(session: Session, escalations: Sequence[Escalation]) -> tuple[Held, Held]:
    """Who holds a facilitator's copy of each of these alerts that reached them or may still, and of those,
    who holds one sent; in one statement."""
    alive: Held = set()
    sent: Held = set()
    for row in keyed_under(session, {(e.workspace_id, copy_prefix(e.id)) for e in escalations}):
        parts = row.key.split(":")  # escalation:<id>:<person>:<occasion>
        if len(parts) != 4 or not parts[1].isdigit() or parts[3].startswith("admins") or not row.alive:
            continue
        alive.add((int(parts[1]), parts[2]))
        if row.status is OutboxStatus.SENT:
            sent.add((int(parts[1]), parts[2]))
    return alive, sent


def _restore(
    session: Session,
    escalations: Sequence[Escalation],
    hearing: Mapping[int, Collection[str]],
    now: datetime,
    decrypt: Decrypt | None,
) -> int:
    """Redraw in full, in place, the copies of these alerts sent to those now put back (`hearing`): the
    card the other facilitators see, notes and buttons; returns how many redraws were recorded."""
    if not escalations:
        return 0
    views = current_views(session, escalations, decrypt, APP_ACTOR)
    restored = restores_of(session, escalations)
    redraws = []
    for escalation, view in zip(escalations, views, strict=True):
        for copy in view.copies:
            # Read as withdrawn still: their place among the facilitators is added after this.
            if copy.for_admins or copy.reader not in hearing[escalation.id]:
                continue
            row = stored(view.card)
            row["args"]["ts"] = copy.ts  # the message chat.update replaces
            key = restored_key(escalation, copy, restored[(escalation.id, copy.channel, copy.ts)])
            redraws.append(NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now))
    return len(add_new(session, redraws, now))
