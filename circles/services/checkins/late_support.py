"""Support asked for in a check-in's answer that was refused (answered already, closed, superseded while the
form was open, or the check-in dropped meanwhile): the answer is not kept, but the request for support still
reaches the facilitators."""

from __future__ import annotations

from datetime import datetime

from circles.domain.checkins import CheckInAnswer
from circles.errors import CheckInClosed
from circles.persistence.db import UnitOfWork
from circles.services.checkins.answers import own_checkin
from circles.services.escalations.sending import Admins
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
    pair: int | None = None,
) -> SupportSent | None:
    """Ask the facilitators for support about the partnership of the person's own check-in, as the support
    form does (refused alike: a partnership no longer theirs, a cohort nobody may hear); the note goes along
    only when they chose to share it. `request_key` names the submission: taken in twice, it sends once.

    A check-in no longer found (dropped unanswered as its question never went in time) asks about `pair`,
    the partnership its form names, when the person is one of its partners in this workspace (`own_checkin`);
    with any other pair, or none, it is refused as a check-in not theirs.

    None, and nothing sent, when the answer the check-in keeps asked for support already (the same form
    sent twice, or support asked from another device): that request went with it."""
    with uow:
        try:
            checkin, _ = own_checkin(uow.session, team_id, user_id, checkin_id, pair)
        except CheckInClosed:
            about = SupportAbout(partnership_id=pair)  # the form's pair, checked there as theirs
        else:
            if checkin.answered_at is not None and checkin.wants_support:
                return None
            about = SupportAbout(partnership_id=checkin.partnership_id)
    note = given.clean_note if given.shares_note else None
    return send_support(uow, team_id, user_id, about, note, now, request_key=request_key, admins=admins)
