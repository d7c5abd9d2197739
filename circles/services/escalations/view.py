"""A facilitator acts on an escalation: I'll reach out, snooze, resolve; each step goes in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from circles.domain.care import free_text_hint
from circles.domain.escalations import COMMENT_LIMIT, SNOOZE_DAYS, Action, Outcome
from circles.domain.vocabulary import EscalationStatus, OutboxStatus
from circles.errors import EscalationClosed, EscalationNotYours, EscalationTaken
from circles.messages import EscalationCard
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort, Escalation, OutboxMessage
from circles.services.cohorts.config import facilitator_ids
from circles.services.escalations.cards import escalation_card, record
from circles.services.escalations.notes import Decrypt
from circles.services.health.due import look_now
from circles.services.intake.workspaces import find_workspace


@dataclass(frozen=True)
class MessageCopy:
    """One DM the escalation was posted as (from the sent outbox row's result)."""

    channel: str
    ts: str
    for_admins: bool = False


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


def check_access(uow: UnitOfWork, team_id: str, user_id: str, escalation_id: int, *, is_admin: bool) -> str:
    """Refuse before showing a form: only the cohort's facilitators and admins act on an escalation.

    Returns the hint the form shows under its text box: the cohort's own wording.
    """
    with uow:
        escalation = acting_on(uow.session, team_id, user_id, escalation_id, is_admin)
        if escalation.status is EscalationStatus.RESOLVED:
            raise EscalationClosed()
        return free_text_hint(uow.session.get_one(Cohort, escalation.cohort_id).free_text_hint)


def claim_escalation(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    escalation_id: int,
    *,
    is_admin: bool,
    now: datetime,
    decrypt: Decrypt | None = None,
) -> EscalationView:
    """Say "I'll reach out": the escalation is theirs, and whoever comes second is told who has it."""
    with uow:
        session = uow.session
        escalation = acting_on(session, team_id, user_id, escalation_id, is_admin)
        # One statement decides between two facilitators pressing at the same moment.
        won = session.execute(
            update(Escalation)
            .where(
                Escalation.id == escalation.id,
                Escalation.status != EscalationStatus.RESOLVED,
                Escalation.claimed_by.is_(None),
            )
            .values(status=EscalationStatus.CLAIMED, claimed_by=user_id, claimed_at=now, snoozed_until=None)
            .execution_options(synchronize_session=False)
        )
        session.refresh(escalation)
        if getattr(won, "rowcount", 0) != 1:
            if escalation.status is EscalationStatus.RESOLVED:
                raise EscalationClosed()
            if escalation.claimed_by != user_id:
                raise EscalationTaken(escalation.claimed_by or "")
            if escalation.status is not EscalationStatus.SNOOZED:
                return current_view(
                    session, escalation, decrypt, user_id
                )  # pressed twice: nothing new happened
            escalation.status, escalation.snoozed_until = EscalationStatus.CLAIMED, None
        record(session, escalation, user_id, Action.CLAIMED, now)
        uow.commit()
        return current_view(session, escalation, decrypt, user_id)


def snooze_escalation(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    escalation_id: int,
    days: int,
    *,
    is_admin: bool,
    now: datetime,
    decrypt: Decrypt | None = None,
) -> EscalationView:
    """Put it aside for a number of days; it comes back to the facilitators when the snooze ends."""
    if days not in SNOOZE_DAYS:
        raise ValueError(f"snooze for one of {SNOOZE_DAYS} days")
    with uow:
        session = uow.session
        escalation = unresolved_escalation(session, team_id, user_id, escalation_id, is_admin)
        escalation.status = EscalationStatus.SNOOZED
        escalation.snoozed_until = now + timedelta(days=days)
        record(session, escalation, user_id, Action.SNOOZED, now, {"days": days})
        uow.commit()
        return current_view(session, escalation, decrypt, user_id)


def resolve_escalation(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    escalation_id: int,
    outcome: Outcome,
    comment: str,
    *,
    is_admin: bool,
    now: datetime,
    decrypt: Decrypt | None = None,
) -> EscalationView:
    """Close it with an outcome; the partners' notes leave every copy of the message."""
    with uow:
        session = uow.session
        escalation = unresolved_escalation(session, team_id, user_id, escalation_id, is_admin)
        resolve(session, escalation, user_id, outcome, comment, now)
        uow.commit()
        return current_view(session, escalation, decrypt, user_id)


def resolve(
    session: Session, escalation: Escalation, user_id: str, outcome: Outcome, comment: str, now: datetime
) -> None:
    escalation.status, escalation.resolved_at = EscalationStatus.RESOLVED, now
    escalation.outcome, escalation.snoozed_until = outcome.value, None
    detail = {"outcome": outcome.value, "comment": comment.strip()[:COMMENT_LIMIT]}
    record(session, escalation, user_id, Action.RESOLVED, now, detail)
    look_now(session, [escalation.partnership_id], now)  # when a concern that stays may count again


def acting_on(session: Session, team_id: str, user_id: str, escalation_id: int, is_admin: bool) -> Escalation:
    """The escalation, for its cohort's facilitators and admins; anyone else learns nothing of it."""
    workspace = find_workspace(session, team_id)
    escalation = session.get(Escalation, escalation_id)
    if workspace is None or escalation is None or escalation.workspace_id != workspace.id:
        raise EscalationNotYours()
    cohort = session.get_one(Cohort, escalation.cohort_id)
    if not (is_admin or user_id in facilitator_ids(session, cohort)):
        raise EscalationNotYours()
    return escalation


def unresolved_escalation(
    session: Session, team_id: str, user_id: str, escalation_id: int, is_admin: bool
) -> Escalation:
    escalation = acting_on(session, team_id, user_id, escalation_id, is_admin)
    if escalation.status is EscalationStatus.RESOLVED:
        raise EscalationClosed()
    return escalation


def current_view(
    session: Session, escalation: Escalation, decrypt: Decrypt | None, actor: str
) -> EscalationView:
    cohort = session.get_one(Cohort, escalation.cohort_id)
    return EscalationView(
        escalation.id,
        escalation_card(session, escalation, occasion="update", decrypt=decrypt),
        escalation_card(session, escalation, occasion="update", decrypt=None, for_admins=True),
        tuple(_copies(session, escalation)),
        actor in facilitator_ids(session, cohort),
    )


def _copies(session: Session, escalation: Escalation) -> list[MessageCopy]:
    """Every DM the escalation went out as, where the sent row says where it landed."""
    rows = session.execute(
        select(OutboxMessage.idempotency_key, OutboxMessage.result).where(
            OutboxMessage.workspace_id == escalation.workspace_id,
            OutboxMessage.idempotency_key.like(f"escalation:{escalation.id}:%"),
            OutboxMessage.status == OutboxStatus.SENT,
        )
    )
    copies: dict[tuple[str, str], MessageCopy] = {}
    for key, result in rows:
        channel, ts = (result or {}).get("channel"), (result or {}).get("ts")
        if isinstance(channel, str) and isinstance(ts, str):
            occasion = key.rsplit(":", 1)[-1]
            copies[(channel, ts)] = MessageCopy(channel, ts, occasion.startswith("admins"))
    return sorted(copies.values(), key=lambda c: (c.channel, c.ts))
