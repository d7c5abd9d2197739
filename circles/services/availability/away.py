"""A person says they are away until a date, or back: their partners are told when, never why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from circles.domain.availability import AbsenceKind, away_until
from circles.domain.availability.absence import BLOCKS
from circles.domain.availability.going_away import AwayRequest, away_problem, back_at
from circles.domain.availability.told import PAIRS_TOLD, back_news_when_over, heard, said_now
from circles.domain.presence import taking_part
from circles.domain.requests import cohort_closed
from circles.errors import InvalidAwayTime, NotAMember, WorkspaceUnknown
from circles.messages import PartnerAway, PartnerBack, Payload
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import AwayBlock, Cohort, Member, Workspace
from circles.queries.availability import away_block, away_blocks_of, end_own_blocks, lock_memberships
from circles.queries.members.person import hold_person
from circles.queries.partnerships import running_partnerships
from circles.services.availability.notices import held_block, local_day
from circles.services.availability.reach import reaches
from circles.services.health.due import look_now
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.planning.replan import away_changed


@dataclass(frozen=True)
class Away:
    """What the person is told: the local date they are back, and how many partners heard."""

    back_on: date
    back_at: datetime
    partners: int
    told_until: date | None = None  # the date partners heard: later than `back_on` while a rotation runs on


@dataclass(frozen=True)
class Back:
    was_away: bool  # False: there was no away block of their own to end
    partners: int
    away_until: date | None = None  # the local date a rotation or leave still running ends (they are back)
    paused: bool = False  # still paused (until `/circles resume` or the pause's date): check-ins stay held


def go_away(uow: UnitOfWork, team_id: str, user_id: str, request: AwayRequest, now: datetime) -> Away:
    """Keep one away block of their own from now until local midnight of the return date (saying it
    again moves the date), plan their cohorts and digest again, and tell each running partner once."""
    with uow:
        workspace = _workspace(uow.session, team_id)
        member_ids = _member_ids(uow.session, workspace.id, user_id)
        reach = reaches(uow.session, [(workspace.id, user_id)], now)[(workspace.id, user_id)]
        today = reach.local(now).date()
        problem = away_problem(request, today)
        if problem is not None:
            raise InvalidAwayTime(problem)
        back_on = request.return_date(today)
        ends_at = back_at(back_on, reach.timezone)
        blocks = _blocks(uow.session, workspace.id, user_id, now)
        known = heard([held_block(b) for b in blocks], now)  # before this change
        block = _own(blocks, user_id)
        if block is None:
            block = away_block(workspace.id, user_id, (now, ends_at), AbsenceKind.AWAY, by=user_id, now=now)
            uow.session.add(block)
            blocks.append(block)
        # Another replica's clock may run a little ahead: its block starts now at the latest.
        block.starts_at, block.ends_at = min(block.starts_at, now), ends_at
        uow.session.flush()
        day = local_day(reach)
        # Partners hear the day they are actually back: a rotation running past the day said keeps them away.
        said = said_now([held_block(b) for b in blocks], known, now, day)
        told, told_until = 0, None
        if said.news is not None and said.news.back_at is not None:
            told_until = day(said.news.back_at)
            until = told_until.isoformat()
            notice = PartnerAway(user_id, until)
            occasion = f"away:{block.id}:{until}"  # a new return date is news to partners; the same is not
            told = _tell_partners(uow.session, workspace.id, member_ids, occasion, notice, now)
        _settle(blocks, said.known, now)
        away_changed(uow.session, workspace.id, user_id, now)
        uow.commit()
        return Away(back_on, ends_at, told, told_until if told else None)


def come_back(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> Back:
    """End their own away blocks (a rotation a facilitator imported stays), plan again, tell partners they
    are back unless a rotation or leave still keeps them away, or a pause does (of that membership: its
    check-ins stay held until it ends, and nothing carries on to tell of)."""
    with uow:
        workspace = _workspace(uow.session, team_id)
        member_ids = _locked(uow.session, workspace.id, user_id)
        paused = _still_paused(uow.session, member_ids, now)
        blocks = _blocks(uow.session, workspace.id, user_id, now)
        known = heard([held_block(b) for b in blocks], now)  # before this change
        own = _own(blocks, user_id)
        current = own if own is not None and own.starts_at <= now else None
        if end_own_blocks(uow.session, workspace.id, user_id, now) == 0:
            return Back(was_away=False, partners=0, paused=bool(paused))
        reach = reaches(uow.session, [(workspace.id, user_id)], now)[(workspace.id, user_id)]
        still = away_until([a for a in reach.absences if a.kind in BLOCKS], now)
        told = 0
        # Only later blocks went, or the programme's block goes on: nobody is told they are back yet.
        if current is not None and still is None:
            notice = PartnerBack(user_id)
            unpaused = [i for i in member_ids if i not in paused]
            told = _tell_partners(uow.session, workspace.id, unpaused, f"back:{current.id}", notice, now)
            current.told_back_at = None  # partners know they are back: the block's end is all it told
        elif still is not None and back_news_when_over(still, known, local_day(reach)):
            _tell_back_at(blocks, own, still, known)
        away_changed(uow.session, workspace.id, user_id, now)
        uow.commit()
        return Back(True, told, reach.local(still).date() if still is not None else None, bool(paused))


def _workspace(session: Session, team_id: str) -> Workspace:
    workspace = find_workspace(session, team_id)
    if workspace is None:
        raise WorkspaceUnknown()
    return workspace


def _member_ids(session: Session, workspace_id: int, user_id: str) -> list[int]:
    """Their memberships not left, locked for the change; going away while in no cohort changes nothing."""
    ids = _locked(session, workspace_id, user_id)
    if not ids:
        raise NotAMember(None)
    return ids


def _locked(session: Session, workspace_id: int, user_id: str) -> list[int]:
    """Their memberships not left, then their cohorts, locked before any pair of theirs: in the order an
    ending, a leave or a facilitator's action takes them, so that one of those at the same moment waits
    rather than deadlocks with this change."""
    ids = lock_memberships(session, workspace_id, user_id)
    hold_person(session, workspace_id, user_id)
    return ids


def _still_paused(session: Session, member_ids: list[int], now: datetime) -> set[int]:
    """Those of their memberships not taking part at `now` (paused, a dated pause not yet over) in a cohort
    still running: the ones `/circles resume` would resume."""
    paused = set()
    for member_id in member_ids:
        member = session.get_one(Member, member_id)
        cohort = session.get_one(Cohort, member.cohort_id)  # held already (`_locked`): no second read
        closed = cohort_closed(cohort.archived_at, cohort.ends_on, cohort.timezone, now)
        if not closed and not taking_part(member.status, member.paused_until, now):
            paused.add(member_id)
    return paused


def _blocks(session: Session, workspace_id: int, user_id: str, now: datetime) -> list[AwayBlock]:
    """Their away, rotation and leave blocks not over yet, earliest first."""
    return [b for b in away_blocks_of(session, workspace_id, user_id, now) if b.kind in BLOCKS]


def _own(blocks: list[AwayBlock], user_id: str) -> AwayBlock | None:
    """Their own away block among `blocks` (they keep one at a time), or None: one they made themselves,
    never one the programme imported, whatever its kind."""
    return next((b for b in blocks if b.kind is AbsenceKind.AWAY and b.created_by == user_id), None)


def _settle(blocks: list[AwayBlock], known: datetime | None, now: datetime) -> None:
    """Partners know the return from the absence running now: its own block and the rotation or leave
    running with it (whose notice, still due, would tell them again) keep it."""
    for block in blocks:
        if block.starts_at <= now < block.ends_at:
            block.told_back_at = known
            if block.notice_due_at is not None and block.notice_due_at <= now:
                block.notice_due_at = None


def _tell_back_at(
    blocks: list[AwayBlock], own: AwayBlock | None, still: datetime, known: datetime | None
) -> None:
    """Partners wait for `known`, later than `still`, when the programme's block keeping the person away
    ends: the pass tells them then that the person is back (see `notices`)."""
    last = next((b for b in blocks if b is not own and b.ends_at == still), None)
    if last is not None:
        last.told_back_at, last.notice_due_at = known, still


def _tell_partners(
    session: Session, workspace_id: int, member_ids: list[int], occasion: str, notice: Payload, now: datetime
) -> int:
    """Each partner in an active pair hears once per occasion, however many pairs they share (a paused pair
    hears nothing, as of an imported rotation); their running pairs' health is looked at again, so the board
    shows the absence."""
    running = running_partnerships(session, member_ids)
    look_now(session, [r.pair.id for r in running], now)
    partners = sorted({r.partner.slack_user_id for r in running if r.pair.status in PAIRS_TOLD})
    messages = [Outgoing(f"{occasion}:{partner}", partner, notice) for partner in partners]
    enqueue_many(session, workspace_id, messages, now, now)
    return len(partners)
