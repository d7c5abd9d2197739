"""A partner pauses, resumes or ends their partnership: privately, without fault, facilitators told why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.care import free_text_hint
from circles.domain.own_pairs import who_may_hear
from circles.domain.requests import cohort_closed
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.errors import CohortEnded, PartnershipNotYours, PartnershipOver
from circles.messages import PartnershipReport
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member, Partnership
from circles.queries.cohorts import hold_cohort, reachable_facilitators
from circles.queries.partnerships.ever import kept_from_pair
from circles.services.escalations.sending import Admins
from circles.services.health.due import look_now
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.partnerships.by_facilitator import (
    change_for_facilitator,
    drop_planned_starters,
    set_status,
)
from circles.services.partnerships.endings import complete_finished_cohorts, end_partnerships
from circles.services.partnerships.notices import partner_notices
from circles.services.partnerships.reports import change_reports
from circles.services.planning.replan import replan

__all__ = [
    "PartnershipChange",
    "change_for_facilitator",  # a facilitator's decision, beside the partners' own
    "complete_finished_cohorts",  # the cohort's end, beside the other endings
    "end_form_hint",
    "end_partnership",
    "pause_partnership",
    "resume_partnership",
]

REASON_LIMIT = 1000


@dataclass(frozen=True)
class PartnershipChange:
    """What happened, for the person who asked; the other partner and facilitators hear through the outbox."""

    partnership_id: int
    cohort_name: str
    partner_user_id: str
    status: PartnershipStatus
    facilitators: list[str]


def pause_partnership(
    uow: UnitOfWork, team_id: str, user_id: str, partnership_id: int, now: datetime, *, request_key: str
) -> PartnershipChange:
    """Pause check-ins and pair prompts; the partner hears it is paused, not who paused it.

    `request_key` names the request that asks (never the clock): the notices are keyed on it.
    """
    change = _Change(PartnershipStatus.PAUSED, None, request_key)
    return _change(uow, team_id, user_id, partnership_id, change, now)


def resume_partnership(
    uow: UnitOfWork, team_id: str, user_id: str, partnership_id: int, now: datetime, *, request_key: str
) -> PartnershipChange:
    change = _Change(PartnershipStatus.ACTIVE, None, request_key)
    return _change(uow, team_id, user_id, partnership_id, change, now)


def end_partnership(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    partnership_id: int,
    reason: str,
    now: datetime,
    *,
    request_key: str,
    admins: Admins = (),
) -> PartnershipChange:
    """End it without fault: the partner learns only that it ended; the reason reaches facilitators only
    (with none who may hear it, the admins hear who ended it, not why: see reports)."""
    change = _Change(PartnershipStatus.ENDED, reason, request_key, admins)
    return _change(uow, team_id, user_id, partnership_id, change, now)


def end_form_hint(uow: UnitOfWork, team_id: str, user_id: str, partnership_id: int) -> str:
    """The End form's hint, for a partner of a partnership still running; anyone else is refused."""
    with uow:
        pair, _, _ = _own_partnership(uow.session, team_id, user_id, partnership_id, lock=False)
        if pair.status is PartnershipStatus.ENDED:
            raise PartnershipOver()
        return free_text_hint(uow.session.get_one(Cohort, pair.cohort_id).free_text_hint)


@dataclass(frozen=True)
class _Change:
    status: PartnershipStatus
    reason: str | None
    request_key: str
    admins: Admins = ()


def _change(
    uow: UnitOfWork, team_id: str, user_id: str, partnership_id: int, change: _Change, now: datetime
) -> PartnershipChange:
    status, reason = change.status, change.reason
    with uow:
        pair, me, other = _own_partnership(uow.session, team_id, user_id, partnership_id)
        if pair.status is PartnershipStatus.ENDED:
            raise PartnershipOver()
        cohort = uow.session.get_one(Cohort, pair.cohort_id)
        if status is not PartnershipStatus.ENDED and cohort_closed(
            cohort.archived_at, cohort.ends_on, cohort.timezone, now
        ):
            raise CohortEnded([cohort.slug])  # a pause or resume in a programme over: nobody is told of it
        # A facilitator who is one of the pair, or was ever paired with one of them, never hears who changed
        # it or why; nor does one who left Slack or is away now (the report would wait unread).
        kept = kept_from_pair(uow.session, cohort.workspace_id, (me.slack_user_id, other.slack_user_id))
        present = reachable_facilitators(uow.session, [cohort.id], now).get(cohort.id, [])
        facilitators = who_may_hear(present, kept)
        changed = pair.status is not status
        if status is PartnershipStatus.ENDED:
            end_partnerships(uow.session, [pair], EndReason.NO_FAULT, now)
        if changed and status is PartnershipStatus.PAUSED:
            drop_planned_starters(uow.session, pair)
        set_status(pair, status, now)
        if changed:
            occasion = f"{pair.id}:{status.value}:{change.request_key}"
            told = (facilitators, change.admins, kept)
            _tell(uow.session, cohort, pair, (me, other), told, (reason or "").strip(), occasion, now)
            replan(uow.session, [cohort.id])
            look_now(uow.session, [pair.id], now)
        uow.commit()
        return PartnershipChange(pair.id, cohort.name, other.slack_user_id, status, facilitators)


def _own_partnership(
    session: Session, team_id: str, user_id: str, partnership_id: int, *, lock: bool = True
) -> tuple[Partnership, Member, Member]:
    """The partnership with the person's own membership and their partner's; anyone else learns nothing.
    With `lock` (a change), its row is locked; a form only reads it, in a read-only transaction."""
    workspace = find_workspace(session, team_id)
    pair = session.get(Partnership, partnership_id)
    if workspace is None or pair is None or pair.workspace_id != workspace.id:
        raise PartnershipNotYours()
    if lock:
        # Locked for the change: two clicks at once (two replicas on PostgreSQL) change it, and tell, once.
        # The cohort first, then the pair, as a leave takes them: a change that plans the cohort again
        # while the other partner leaves waits for the leave (or the leave for it), never deadlocks.
        hold_cohort(session, pair.cohort_id)
        session.refresh(pair, with_for_update=True)
    first = session.get_one(Member, pair.first_member_id)
    second = session.get_one(Member, pair.second_member_id)
    if user_id == first.slack_user_id:
        return pair, first, second
    if user_id == second.slack_user_id:
        return pair, second, first
    raise PartnershipNotYours()


def _tell(
    session: Session,
    cohort: Cohort,
    pair: Partnership,
    partners: tuple[Member, Member],
    told: tuple[list[str], Admins, frozenset[str]],
    reason: str,
    occasion: str,
    now: datetime,
) -> None:
    """The other partner's notice, and the report of who changed it and why (see reports)."""
    (me, other), (facilitators, admins, kept) = partners, told
    notice = partner_notices(session, cohort, pair, [other.id])[other.id]
    messages = [Outgoing(f"partnership:{occasion}:partner", other.slack_user_id, notice)]
    by, partner = me.slack_user_id, other.slack_user_id
    report = PartnershipReport(cohort.name, cohort.slug, pair.status, by, partner, reason[:REASON_LIMIT])
    key = f"partnership:{occasion}"
    messages += change_reports(cohort.workspace_id, report, key, facilitators, admins, kept)
    enqueue_many(session, cohort.workspace_id, messages, now, now)
