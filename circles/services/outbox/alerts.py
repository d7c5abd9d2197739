"""An alert's DM is looked at again when a sender takes it: someone taken off the cohort's facilitators
since it was queued (Slack was down, or the queue long), or now paired with one of its partners, is sent
nothing, as their copies already sent are redrawn without the pair (circles.services.escalations.withdrawn).
So is the full redraw of a copy for someone put back who was taken off again before it went, or whose try
failed and waits: sent after their copy's withdrawal, it would draw the pair back into their DM.
An admins' copy is theirs whoever facilitates, but not once its admin is paired with one of the partners.
A few statements per batch, only when it holds an alert."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from circles.domain.own_pairs import who_may_hear
from circles.persistence.db import Session
from circles.persistence.models import Escalation, OutboxMessage
from circles.queries.cohorts import facilitators_by_cohort
from circles.queries.escalation_cards import card_pairs, kept_from
from circles.queries.escalations import escalations_by_id
from circles.queries.outbox.deferral import supersede
from circles.services.escalations.withdrawn import restored_reader

Alert = tuple[int, str, bool]  # escalation id, reader, whether it is an admins' copy


def drop_unheard(session: Session, rows: Sequence[OutboxMessage]) -> set[int]:
    """Of these locked rows, mark superseded the alert DMs whose person may no longer hear of the alert
    (kept from its pair, or a facilitator's who facilitates it no more), or whose alert is gone; their ids."""
    alerts = {row.id: alert for row in rows if (alert := _alert_of(row)) is not None}
    if not alerts:
        return set()
    escalations = escalations_by_id(session, {escalation_id for escalation_id, _, _ in alerts.values()})
    facilitators = facilitators_by_cohort(session, {e.cohort_id for e in escalations.values()})
    kept = kept_from(session, card_pairs(session, {e.partnership_id for e in escalations.values()}))
    hearing = {
        e.id: who_may_hear(facilitators.get(e.cohort_id, ()), kept[e.partnership_id])
        for e in escalations.values()
    }
    dropped = {row_id for row_id, alert in alerts.items() if not _heard(alert, escalations, hearing, kept)}
    supersede(session, dropped)
    return dropped


def _heard(
    alert: Alert,
    escalations: Mapping[int, Escalation],
    hearing: Mapping[int, Sequence[str]],
    kept: Mapping[int, frozenset[str]],
) -> bool:
    about, user, for_admins = alert
    if (escalation := escalations.get(about)) is None:
        return False
    return user not in kept[escalation.partnership_id] if for_admins else user in hearing[about]


def _alert_of(row: OutboxMessage) -> Alert | None:
    """(escalation id, person, whether for the admins) of a copy of an alert (its key:
    `escalation:<id>:<person>:<occasion>`, an admins' occasion `adminsN`) or of its full redraw for a
    facilitator put back; None for anything else."""
    if restored := restored_reader(row.idempotency_key):
        return (*restored, False)
    return alert_copy(row.idempotency_key)


def alert_copy(key: str) -> Alert | None:
    """(escalation id, person, whether for the admins) of a copy of an alert posted to its person, from its
    key `escalation:<id>:<person>:<occasion>` (an admins' occasion `adminsN`); None for any other key."""
    parts = key.split(":")
    if len(parts) != 4 or parts[0] != "escalation" or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2], parts[3].startswith("admins")
