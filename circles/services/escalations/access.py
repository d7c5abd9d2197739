"""Who may act on an escalation, and taking one step on an unresolved one in a single transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from circles.domain.care import free_text_hint
from circles.domain.own_pairs import one_of_the_pair
from circles.domain.vocabulary import EscalationStatus
from circles.errors import EscalationClosed, EscalationNotYours
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import facilitator_ids
from circles.queries.escalations import lock_for_change, partners_of
from circles.queries.partnerships.ever import partners_ever
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.view import EscalationView, current_view
from circles.services.intake.workspaces import find_workspace

T = TypeVar("T")


@dataclass(frozen=True)
class EscalationAct:
    """Someone acting on an escalation: in which unit of work and workspace, who, on which one, and when."""

    uow: UnitOfWork
    team_id: str
    user_id: str
    escalation_id: int
    is_admin: bool
    now: datetime
    decrypt: Decrypt | None = None


def check_access(uow: UnitOfWork, team_id: str, user_id: str, escalation_id: int, *, is_admin: bool) -> str:
    """Refuse before showing a form: only the cohort's facilitators and admins act on an escalation.

    Returns the hint the form shows under its text box: the cohort's own wording.
    """
    with uow:
        escalation = unresolved_escalation(uow.session, team_id, user_id, escalation_id, is_admin)
        return free_text_hint(uow.session.get_one(Cohort, escalation.cohort_id).free_text_hint)


def acting_on(session: Session, team_id: str, user_id: str, escalation_id: int, is_admin: bool) -> Escalation:
    """The escalation, for its cohort's facilitators and admins, held until the caller's transaction ends and
    read as it now stands; anyone else learns nothing of it."""
    workspace = find_workspace(session, team_id)
    escalation = session.get(Escalation, escalation_id)
    if workspace is None or escalation is None or escalation.workspace_id != workspace.id:
        raise EscalationNotYours()
    # Two facilitators pressing at once take turns; who facilitates is read once held, so someone taken off
    # the cohort by a save that held this alert (or its pair) meanwhile is refused.
    lock_for_change(session, escalation)
    if not (is_admin or user_id in facilitator_ids(session, escalation.cohort_id)):
        raise EscalationNotYours()
    ever = partners_ever(session, escalation.workspace_id, user_id)
    if one_of_the_pair(user_id, partners_of(session, escalation.partnership_id), ever):
        raise EscalationNotYours()
    return escalation


def unresolved_escalation(
    session: Session, team_id: str, user_id: str, escalation_id: int, is_admin: bool
) -> Escalation:
    escalation = acting_on(session, team_id, user_id, escalation_id, is_admin)
    if escalation.status is EscalationStatus.RESOLVED:
        raise EscalationClosed()
    return escalation


def act_on_unresolved(
    act: EscalationAct, step: Callable[[Session, Escalation], T]
) -> tuple[EscalationView, T]:
    """Take one step on an escalation still unresolved, commit it; the escalation after, and what it gave."""
    with act.uow as uow:
        session = uow.session
        escalation = unresolved_escalation(session, act.team_id, act.user_id, act.escalation_id, act.is_admin)
        taken = step(session, escalation)
        uow.commit()
        return current_view(session, escalation, act.decrypt, act.user_id), taken
