"""From an escalation, a facilitator pauses or ends the partnership, or ends it to re-match both partners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.escalations import Action, Outcome
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Escalation, Member, Partnership
from circles.services.escalations.access import act_on_unresolved
from circles.services.escalations.cards import record
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.resolve import resolve
from circles.services.escalations.view import EscalationView
from circles.services.partnerships.changes import change_for_facilitator


@dataclass(frozen=True)
class PartnershipEnded:
    """The escalation after the ending, and whom a re-match would be for."""

    view: EscalationView
    slug: str
    partners: tuple[str, str]


def pause_from_escalation(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    escalation_id: int,
    *,
    is_admin: bool,
    now: datetime,
    request_key: str,
    decrypt: Decrypt | None = None,
) -> EscalationView:
    """Pause the pair's check-ins and prompts; both partners hear it is paused, not by whom or why."""

    def pause(session: Session, escalation: Escalation) -> None:
        pair = session.get_one(Partnership, escalation.partnership_id)
        paused = PartnershipStatus.PAUSED
        if change_for_facilitator(session, pair, paused, EndReason.FACILITATOR, now, request_key=request_key):
            record(session, escalation, user_id, Action.PAUSED_PARTNERSHIP, now)

    view, _ = act_on_unresolved(
        uow, team_id, user_id, escalation_id, pause, is_admin=is_admin, decrypt=decrypt
    )
    return view


def end_from_escalation(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    escalation_id: int,
    *,
    rematch: bool,
    is_admin: bool,
    now: datetime,
    request_key: str,
    decrypt: Decrypt | None = None,
) -> PartnershipEnded:
    """End the partnership without fault and resolve the escalation (outcome ended, or re-matched).

    Both partners are told only that it ended. An ending a partner already made stands as it is; the
    escalation is resolved all the same, and a re-match can still be offered.
    """

    def end(session: Session, escalation: Escalation) -> tuple[str, tuple[str, str]]:
        pair = session.get_one(Partnership, escalation.partnership_id)
        if pair.status is not PartnershipStatus.ENDED:
            reason = EndReason.REMATCHED if rematch else EndReason.FACILITATOR
            change_for_facilitator(
                session, pair, PartnershipStatus.ENDED, reason, now, request_key=request_key
            )
        record(
            session,
            escalation,
            user_id,
            Action.SUGGESTED_REMATCH if rematch else Action.ENDED_PARTNERSHIP,
            now,
        )
        resolve(session, escalation, user_id, Outcome.REMATCHED if rematch else Outcome.ENDED, "", now)
        first = session.get_one(Member, pair.first_member_id).slack_user_id
        second = session.get_one(Member, pair.second_member_id).slack_user_id
        return session.get_one(Cohort, pair.cohort_id).slug, (first, second)

    view, (slug, partners) = act_on_unresolved(
        uow, team_id, user_id, escalation_id, end, is_admin=is_admin, decrypt=decrypt
    )
    return PartnershipEnded(view, slug, partners)
