"""Escalations themselves: opening one per partnership, claiming one, its audit trail, holding it while it
changes, the pair it is about, and those sent to some people."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EscalationStatus, OutboxStatus
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Member, OutboxMessage, Partnership
from circles.queries.aliases import FIRST_PARTNER, SECOND_PARTNER
from circles.queries.ids import chunks
from circles.queries.inserts import insert_ignoring_duplicates, table_of
from circles.queries.outbox.keys import key_starts_with


def escalations_by_id(session: Session, escalation_ids: Collection[int]) -> dict[int, Escalation]:
    """These escalations by id; one gone (its pair erased) is left out. One statement per CHUNK ids."""
    found: dict[int, Escalation] = {}
    for chunk in chunks(sorted(set(escalation_ids))):
        found.update((e.id, e) for e in session.scalars(select(Escalation).where(Escalation.id.in_(chunk))))
    return found


def escalations_of(session: Session, partnership_ids: Sequence[int]) -> list[Escalation]:
    """Every escalation these partnerships ever had, oldest first."""
    return list(
        session.scalars(
            select(Escalation).where(Escalation.partnership_id.in_(partnership_ids)).order_by(Escalation.id)
        )
    )


def unresolved_of(session: Session, partnership_ids: Sequence[int]) -> list[Escalation]:
    """These partnerships' unresolved escalations (one each at most), locked for the caller's change.

    Not skipping locked rows: a facilitator or a watch acting on one at the same moment is waited for,
    and what they left is read again.
    """
    found: list[Escalation] = []
    for chunk in chunks(sorted(set(partnership_ids))):
        found += session.scalars(
            select(Escalation)
            .where(Escalation.partnership_id.in_(chunk), Escalation.status != EscalationStatus.RESOLVED)
            .order_by(Escalation.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    return found


def unresolved_of_members(session: Session, member_ids: Collection[int]) -> list[Escalation]:
    """The unresolved escalations of every partnership these memberships are in, locked as `unresolved_of`
    locks them. One statement per CHUNK memberships."""
    found: dict[int, Escalation] = {}
    for chunk in chunks(sorted(set(member_ids))):
        either = or_(Partnership.first_member_id.in_(chunk), Partnership.second_member_id.in_(chunk))
        found.update(
            (escalation.id, escalation)
            for escalation in session.scalars(
                select(Escalation)
                .join(Partnership, Partnership.id == Escalation.partnership_id)
                .where(either, Escalation.status != EscalationStatus.RESOLVED)
                .order_by(Escalation.id)
                .with_for_update(of=Escalation, key_share=True)
                .execution_options(populate_existing=True)
            )
        )
    return [found[escalation_id] for escalation_id in sorted(found)]


def open_all(session: Session, rows: Sequence[dict[str, Any]]) -> list[Escalation]:
    """Add these new escalations in one statement; returns those added, by id. A pair the database already
    holds an unresolved escalation for is skipped.

    The partial unique index on unresolved escalations is what keeps two watches (two processes, or
    `circles tick` beside a running app) from alerting twice: the second insert waits for the first
    transaction and then skips the pairs it opened.
    """
    if not rows:
        return []
    table = table_of(Escalation)
    added = session.execute(insert_ignoring_duplicates(session, table).returning(table.c.id), list(rows))
    ids = sorted(escalation_id for (escalation_id,) in added)
    return list(session.scalars(select(Escalation).where(Escalation.id.in_(ids)).order_by(Escalation.id)))


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add these lines to escalations' audit trails in one statement."""
    if rows:
        session.execute(insert(EscalationEvent), list(rows))


def claim_once(session: Session, escalation_id: int, user_id: str, now: datetime) -> bool:
    """Claim an unresolved, unclaimed escalation; False when it was resolved or someone else has it.

    One statement decides between two facilitators pressing at the same moment.
    """
    won = session.execute(
        update(Escalation)
        .where(
            Escalation.id == escalation_id,
            Escalation.status != EscalationStatus.RESOLVED,
            Escalation.claimed_by.is_(None),
        )
        .values(status=EscalationStatus.CLAIMED, claimed_by=user_id, claimed_at=now, snoozed_until=None)
        .execution_options(synchronize_session=False)
    )
    return getattr(won, "rowcount", 0) == 1


def lock_for_change(session: Session, escalation: Escalation) -> None:
    """Hold the escalation's cohort, then its pair, then the escalation, and read it again as it now stands.

    In the order a leave or a settings save locks (the cohort, the pair, then its alert; an ending from the
    alert plans the cohort again): a facilitator pressing a button waits for whoever acts on the same
    cohort, alert or pair at that moment, then sees what they left.
    """
    cohort = select(Cohort.id).where(Cohort.id == escalation.cohort_id)
    session.execute(cohort.with_for_update(key_share=True))
    session.execute(
        select(Partnership.id)
        .where(Partnership.id == escalation.partnership_id)
        .with_for_update(key_share=True)
    )
    session.refresh(escalation, with_for_update={"key_share": True})


def partners_of(session: Session, partnership_id: int) -> frozenset[str]:
    """The Slack user IDs of the pair's two partners: never told of their own pair's health or notes."""
    pair = Partnership.id == partnership_id
    either = or_(Partnership.first_member_id == Member.id, Partnership.second_member_id == Member.id)
    rows = session.scalars(select(Member.slack_user_id).join(Partnership, either).where(pair))
    return frozenset(rows)


def unresolved_in_cohort(session: Session, cohort_id: int) -> list[tuple[Escalation, frozenset[str]]]:
    """The cohort's unresolved escalations, oldest first, each with its two partners' Slack user IDs.

    One statement; the pairs and their members come with it, so drawing their cards reads them again
    from the session, not the database.
    """
    first, second = FIRST_PARTNER, SECOND_PARTNER
    rows = session.execute(
        select(Escalation, Partnership, first, second)
        .join(Partnership, Partnership.id == Escalation.partnership_id)
        .join(first, first.id == Partnership.first_member_id)
        .join(second, second.id == Partnership.second_member_id)
        .where(Escalation.cohort_id == cohort_id, Escalation.status != EscalationStatus.RESOLVED)
        .order_by(Escalation.id)
    )
    return [(escalation, frozenset({a.slack_user_id, b.slack_user_id})) for escalation, _, a, b in rows]


def copied_to(session: Session, cohort: Cohort, user_ids: Collection[str]) -> list[Escalation]:
    """The cohort's escalations, resolved ones too, that were sent as a DM to one of these people, oldest
    first. Two statements however many: the people's sent alert DMs in the workspace (keyed
    `escalation:<id>:<person>:<occasion>`, posted to the person), then the cohort's escalations among them.
    """
    if not user_ids:
        return []
    keys = session.scalars(
        select(OutboxMessage.idempotency_key).where(
            OutboxMessage.workspace_id == cohort.workspace_id,
            key_starts_with("escalation:"),
            OutboxMessage.channel.in_(sorted(user_ids)),
            OutboxMessage.status == OutboxStatus.SENT,
        )
    )
    ids = sorted({int(number) for key in keys if (number := key.split(":")[1]).isdigit()})
    found: list[Escalation] = []
    for chunk in chunks(ids):  # one, unless they were sent more than 900 alerts in the workspace
        found += session.scalars(
            select(Escalation).where(Escalation.cohort_id == cohort.id, Escalation.id.in_(chunk))
        )
    return sorted(found, key=lambda escalation: escalation.id)
