"""Support asked for in a check-in's answer that was refused (answered already, closed, superseded while the
form was open): the answer is not kept, but the request for support still reaches the facilitators."""

from __future__ import annotations

from datetime import datetime

from circles.domain.checkins import CheckInAnswer
from circles.errors import CheckInNotYours
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import CheckIn, Member
from circles.services.escalations.sending import Admins
from circles.services.intake.workspaces import find_workspace
from circles.services.support.form import SupportAbout, send_support
from circles.services.support.request import SupportSent


def support_anyway(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    checkin_id: int,
    given: CheckInAnswer,
    now: datetime,
    *,
    request_key: str,
    admins: Admins = (),
) -> SupportSent | None:
    """Ask the facilitators for support about the partnership of the person's own check-in, as the support
    form does (refused alike: a partnership no longer theirs, a cohort nobody may hear); the note goes along
    only when they chose to share it. `request_key` names the submission: taken in twice, it sends once.

    None, and nothing sent, when the answer the check-in keeps asked for support already (the same form
    sent twice, or support asked from another device): that request went with it."""
    with uow:
        checkin = _own_checkin(uow.session, team_id, user_id, checkin_id)
        if checkin.answered_at is not None and checkin.wants_support:
            return None
        about = SupportAbout(partnership_id=checkin.partnership_id)
    note = given.clean_note if given.shares_note else None
    return send_support(uow, team_id, user_id, about, note, now, request_key=request_key, admins=admins)


def _own_checkin(session: Session, team_id: str, user_id: str, checkin_id: int) -> CheckIn:
    """A check-in of this person's, answered or closed alike; anyone else's is refused."""
    workspace = find_workspace(session, team_id)
    checkin = session.get(CheckIn, checkin_id) if workspace is not None else None
    if workspace is None or checkin is None or checkin.workspace_id != workspace.id:
        raise CheckInNotYours()
    if session.get_one(Member, checkin.member_id).slack_user_id != user_id:
        raise CheckInNotYours()
    return checkin
