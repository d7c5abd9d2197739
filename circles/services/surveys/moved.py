"""The survey requests a planning pass finds already there, brought in line with their cohort's dates as they
are now (they may have moved since a request was written): see circles.domain.surveys_moved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from circles.domain.surveys import SurveyCalendar, due_at
from circles.domain.surveys_moved import Move, Standing, after_move
from circles.domain.vocabulary import SurveyPhase
from circles.persistence.db import Session
from circles.queries.surveys import (
    NewRequest,
    current_requests,
    retime_requests,
    supersede_requests,
    withdraw_requests,
)

Key = tuple[int, str, SurveyPhase]


def follow_moves(
    session: Session, calendars: Mapping[int, SurveyCalendar], wanted: Sequence[NewRequest], now: datetime
) -> set[Key]:
    """For the cohorts of these calendars: re-time the requests not yet sent whose phase moved, withdraw
    those whose phase no longer applies to their member, and supersede the sent ones whose phase is due
    again (`wanted` now) on a day after they closed. Returns the requests that stand (member, instrument,
    phase): `wanted` ones among them are not asked. One query, then one statement per kind of change."""
    asked = {(r.member_id, r.instrument, r.phase): r for r in wanted}
    have: set[Key] = set()
    retimed: dict[int, datetime] = {}
    withdrawn, superseded = [], []
    for request in current_requests(session, calendars, {r.phase for r in wanted}):
        key = (request.member_id, request.instrument, request.phase)
        new_due = due_at(calendars[request.cohort_id], request.phase, request.joined_at)
        standing = Standing(request.due_at, request.sent_at, request.answered_at)
        move = after_move(standing, new_due, now)
        if move is Move.ASK_AGAIN and key in asked:
            superseded.append(request.request_id)
            continue  # its phase is asked again with the new request
        if move is Move.RETIME and new_due is not None:
            retimed[request.request_id] = new_due
        elif move is Move.WITHDRAW:
            withdrawn.append(request.request_id)
        have.add(key)
    withdraw_requests(session, withdrawn)
    retime_requests(session, retimed)
    supersede_requests(session, superseded, now)
    return have
