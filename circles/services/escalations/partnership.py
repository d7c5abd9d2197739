"""From an escalation, a facilitator pauses or ends the partnership, or ends it to re-match both partners."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.escalations import Action, Outcome
from circles.domain.requests import cohort_closed
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.errors import CohortEnded
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation, Member, Partnership
from circles.queries.escalations import claim_once
from circles.queries.escalations.redraws import supersede_redraws
from circles.services.escalations.access import EscalationAct, act_on_unresolved
from circles.services.escalations.cards import record
from circles.services.escalations.resolve import resolve
from circles.services.escalations.view import EscalationView
from circles.services.partnerships.changes import change_for_facilitator


@dataclass(frozen=True)
class PartnershipEnded:
    """The escalation after the ending, and whom a re-match would be for."""

    view: EscalationView
    slug: str
    partners: tuple[str, str]


def pause_from_escalation(act: EscalationAct, *, request_key: str) -> EscalationView:
    """Pause the pair's check-ins and prompts; both partners hear it is paused, not by whom or why.

    Whoever pauses it has taken the alert up: if nobody had, it is theirs, as "I'll reach out" would make
    it (and its audit trail says so), so nobody is reminded of it, nor the admins told it waits.
    Once the cohort is archived, or its last day is over in its own time zone, CohortEnded, as for a
    partner's own Pause: nothing changes, nobody is told, and the alert is not taken up; it can still be
    ended or resolved.
    """

    def pause(session: Session, escalation: Escalation) -> None:
        pair = session.get_one(Partnership, escalation.partnership_id)
        paused, now = PartnershipStatus.PAUSED, act.now
        session.refresh(pair, with_for_update=True)  # as change_for_facilitator holds it: an ending says so
        cohort = session.get_one(Cohort, pair.cohort_id)
        over = cohort_closed(cohort.archived_at, cohort.ends_on, cohort.timezone, now)
        if pair.status is not PartnershipStatus.ENDED and over:
            raise CohortEnded([cohort.slug], facilitating=True)  # nothing changed, nobody told, not taken up
        if change_for_facilitator(session, pair, paused, EndReason.FACILITATOR, now, request_key=request_key):
            if claim_once(session, escalation.id, act.user_id, now):
                session.refresh(escalation)
                record(session, escalation, act.user_id, Action.CLAIMED, now)
            record(session, escalation, act.user_id, Action.PAUSED_PARTNERSHIP, now)
            supersede_redraws(session, [(escalation.workspace_id, escalation.id)])  # the press redraws each

    view, _ = act_on_unresolved(act, pause)
    return view


def end_from_escalation(act: EscalationAct, *, rematch: bool, request_key: str) -> PartnershipEnded:
    """End the partnership without fault and resolve the escalation (outcome ended, or re-matched).

    Both partners are told only that it ended. An ending a partner already made stands as it is; the
    escalation is resolved all the same, and a re-match can still be offered.
    """

    def end(session: Session, escalation: Escalation) -> tuple[str, tuple[str, str]]:
        pair, user_id, now = session.get_one(Partnership, escalation.partnership_id), act.user_id, act.now
        session.refresh(pair, with_for_update=True)  # its cohort is held already (lock_for_change)
        # Resolved by the facilitator before the ending, which would otherwise resolve it as the app's.
        record(
            session,
            escalation,
            user_id,
            Action.SUGGESTED_REMATCH if rematch else Action.ENDED_PARTNERSHIP,
            now,
        )
        resolve(session, escalation, user_id, Outcome.REMATCHED if rematch else Outcome.ENDED, "", now)
        if pair.status is not PartnershipStatus.ENDED:
            reason = EndReason.REMATCHED if rematch else EndReason.FACILITATOR
            change_for_facilitator(
                session, pair, PartnershipStatus.ENDED, reason, now, request_key=request_key
            )
        first = session.get_one(Member, pair.first_member_id).slack_user_id
        second = session.get_one(Member, pair.second_member_id).slack_user_id
        return session.get_one(Cohort, pair.cohort_id).slug, (first, second)

    view, (slug, partners) = act_on_unresolved(act, end)
    return PartnershipEnded(view, slug, partners)
