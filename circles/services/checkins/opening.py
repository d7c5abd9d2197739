"""Opening check-ins on demand: `/circles checkin`, the pair chosen from its choice, a workflow's ask.

A check-in opened is one its partner is expected to answer: left unanswered past the cohort's days it
counts as missed, and the digest says it still waits. So offering a choice opens none; only the pair
pressed (or the one partnership there is) gets one. A pair on hold gets none, as the planner sends it
none (circles.domain.planning.plan): while the person or their partner is paused or away (their own
`/circles away`, a rotation or leave), or the pair is paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from circles.domain.care import free_text_hint
from circles.domain.presence import taking_part
from circles.domain.vocabulary import PartnershipStatus
from circles.errors import (
    CheckInClosed,
    CheckInNotYours,
    CheckInsWaitForPair,
    CheckInsWaitForPartner,
    CheckInsWaitForYou,
    NoActivePartnership,
)
from circles.persistence.db import Session, UnitOfWork
from circles.queries.checkins import NewCheckIn, add_checkins
from circles.queries.checkins_newest import Newest, newest_checkins, next_unasked
from circles.queries.partnerships import ActiveOf, active_partnerships_of, hold_active
from circles.services.checkins.answers import OpenCheckIn, partner_in
from circles.services.intake.workspaces import find_workspace


@dataclass(frozen=True)
class CheckInChoice:
    """One of several running partnerships offered by `/circles checkin`: the check-in that waits for an
    answer in it, or None when there is none and pressing it opens one."""

    partnership_id: int
    waiting_checkin_id: int | None
    cohort_name: str
    partner_user_id: str


def checkin_or_choice(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime
) -> OpenCheckIn | list[CheckInChoice]:
    """With one running partnership, its check-in to answer, opened as `open_checkin` does; with several,
    the choice among them, which opens none: a check-in nobody chose would wait, then count as missed."""
    with uow:
        workspace_id, rows = _running(uow.session, team_id, user_id, now)
        if len(rows) == 1:
            found = _opened(uow.session, workspace_id, rows, now)
            if not found:
                raise NoActivePartnership()  # it ended while this waited for it
            uow.commit()
            return found[0]
        newest = newest_checkins(uow.session, {(row.pair.id, row.member.id) for row in rows}, now)
        return [
            CheckInChoice(
                row.pair.id,
                _waiting(newest.get((row.pair.id, row.member.id))),
                row.cohort.name,
                row.partner_user_id,
            )
            for row in rows
        ]


def start_checkin(
    uow: UnitOfWork, team_id: str, user_id: str, partnership_id: int, now: datetime
) -> OpenCheckIn:
    """The check-in of the partnership chosen: the one waiting for an answer, or a new one due now.

    The id is the presser's word: a pair not theirs (or another workspace's) is refused as a check-in not
    theirs, one no longer running (ended, left, archived, now or meanwhile) as a closed one, one on hold
    (paused, or either partner paused or away) as waiting."""
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        if workspace is None:
            raise CheckInNotYours()
        rows = active_partnerships_of(session, workspace.id, user_id, now, paused=True)
        chosen = _not_on_hold([row for row in rows if row.pair.id == partnership_id], now)
        found = _opened(session, workspace.id, chosen, now)
        if not found:
            mine = partner_in(session, workspace.id, partnership_id, user_id)
            raise CheckInClosed() if mine else CheckInNotYours()
        uow.commit()
        return found[0]


def open_checkin(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[OpenCheckIn]:
    """One check-in to answer per active partnership: the newest asked, while unanswered; else the next
    one written for later; else a new one due now."""
    with uow:
        found = open_checkins(uow.session, team_id, user_id, now)
        uow.commit()
        return found


def open_checkins(session: Session, team_id: str, user_id: str, now: datetime) -> list[OpenCheckIn]:
    """`open_checkin` in the caller's transaction (a workflow's ask, which sends each one): raises
    NoActivePartnership when the person has none. A fixed handful of statements however many pairs."""
    workspace_id, rows = _running(session, team_id, user_id, now)
    found = _opened(session, workspace_id, rows, now)
    if not found:
        raise NoActivePartnership()
    return found


def _running(session: Session, team_id: str, user_id: str, now: datetime) -> tuple[int, list[ActiveOf]]:
    """The person's workspace and partnerships there not on hold; NoActivePartnership when they have none
    running, why they wait when each is on hold."""
    workspace = find_workspace(session, team_id)
    if workspace is None:
        raise NoActivePartnership()
    rows = active_partnerships_of(session, workspace.id, user_id, now, paused=True)
    if not rows:
        raise NoActivePartnership()
    return workspace.id, _not_on_hold(rows, now)


def _not_on_hold(rows: list[ActiveOf], now: datetime) -> list[ActiveOf]:
    """The pairs not on hold at `now`, as the planner sees them: active, both partners taking part (a dated
    pause ends by itself), neither away. When every one is, the reason the person can act on first: their
    own pause or absence, then a paused pair (resumed from their status), then their partners'."""
    holds = [_hold(row, now) for row in rows]
    free = [row for row, hold in zip(rows, holds, strict=True) if hold is None]
    if free or not rows:
        return free
    for rule in (CheckInsWaitForYou, CheckInsWaitForPair):
        if held := [hold for hold in holds if isinstance(hold, rule)]:
            raise held[0]
    raise CheckInsWaitForPartner(several=len(rows) > 1)


def _hold(row: ActiveOf, now: datetime) -> NoActivePartnership | None:
    """What holds this pair's check-in at `now`, if anything: the refusal it calls for."""
    if not taking_part(row.member.status, row.member.paused_until, now):
        return CheckInsWaitForYou()
    # Asked by the person themselves, yet refused: the planner holds a pair while either partner is away,
    # and one answered from leave would count in the pair's health as if they were there.
    if row.away:
        return CheckInsWaitForYou(away=True)
    if row.pair.status is PartnershipStatus.PAUSED:
        return CheckInsWaitForPair()
    if not taking_part(row.partner_status, row.partner_paused_until, now) or row.partner_away:
        return CheckInsWaitForPartner()
    return None


def _opened(session: Session, workspace_id: int, rows: list[ActiveOf], now: datetime) -> list[OpenCheckIn]:
    """For each of these pairs still active once held: the check-in asked of the person and unanswered;
    else the next one written for them, asked now; else one due now."""
    # The pairs held until the caller commits: of two asks at once (a command sent twice, a choice pressed
    # twice, two workflow runs) the second waits, then offers the check-in the first opened instead of a
    # newer one replacing it.
    held = hold_active(session, [row.pair.id for row in rows])
    rows = [row for row in rows if row.pair.id in held]  # a pair ended meanwhile is asked about no more
    if not rows:
        return []
    keys = {(row.pair.id, row.member.id) for row in rows}
    # The newest asked by now, as an answer finds what replaced it: one planned ahead or held for the
    # person's hours neither hides the question they hold nor is offered in its place.
    newest = newest_checkins(session, keys, now)
    offered = {key: waiting for key in keys if (waiting := _waiting(newest.get(key))) is not None}
    # With none open, the one written for later is the one they ask for now: a second beside it would be
    # asked again within the hour (or at their shift), and the one left unanswered counted missed.
    offered |= next_unasked(session, keys - offered.keys(), now)
    due = {key: _due(newest.get(key), now) for key in keys - offered.keys()}
    _, added = add_checkins(session, [NewCheckIn(workspace_id, *key, at) for key, at in sorted(due.items())])
    offered |= {key: added[(workspace_id, *key, at)] for key, at in due.items()}
    found = []
    for row in rows:
        hint = free_text_hint(row.cohort.free_text_hint)
        cohort = row.cohort
        checkin_id = offered[(row.pair.id, row.member.id)]
        found.append(
            OpenCheckIn(checkin_id, cohort.slug, cohort.name, row.partner_user_id, hint, row.pair.id)
        )
    return found


def _waiting(newest: Newest | None) -> int | None:
    """The check-in a choice opens as it is: the newest asked, while unanswered; None when pressing opens
    one."""
    return newest.checkin_id if newest is not None and not newest.answered else None


def _due(newest: Newest | None, now: datetime) -> datetime:
    """When a new check-in is due: now, or just after the newest when that one is stamped at the very same
    instant."""
    return now if newest is None or newest.due_at < now else newest.due_at + timedelta(seconds=1)
