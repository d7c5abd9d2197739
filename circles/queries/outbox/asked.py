"""Where the app asked someone in their DM: the messages it recorded sent to them for one check-in, or for
one survey request, each as the (channel, ts) sending returned. A button or a form names the message it was
pressed in, but those words are the presser's: only a message found here is theirs to redraw.

Each is found by its key, a range of the unique (workspace, key) index, never by a walk of the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.messages import CheckinQuestion, SurveyInvite, SurveyReminder
from circles.persistence.models import CheckIn, OutboxMessage, Workspace
from circles.queries.outbox.keys import key_starts_with

Where = tuple[str, str]  # the channel and ts of a message in Slack


def checkin_asked_in(session: Session, team_id: str, user_id: str, checkin_id: int) -> set[Where]:
    """The messages that asked `user_id` this check-in, planned or as a catch-up.

    Not a workflow step's: those are keyed by the workflow's run (step:{run}:checkin:{checkin}), which the
    check-in does not know, and finding them would read every step the workspace ever ran. Pressed, such a
    message is known by Slack's copy of it instead (`bot/listeners/actions/pressed_in.py`)."""
    found = session.execute(
        select(CheckIn.workspace_id, CheckIn.partnership_id, CheckIn.member_id)
        .join(Workspace, Workspace.id == CheckIn.workspace_id)
        .where(CheckIn.id == checkin_id, Workspace.team_id == team_id)
    ).one_or_none()
    if found is None:
        return set()
    workspace_id, partnership_id, member_id = found
    # Planned and caught-up questions: checkin:{partnership}:{member}:{day}, or …:back:{day}.
    planned = f"{CheckinQuestion.TEMPLATE}:{partnership_id}:{member_id}:"
    payload = OutboxMessage.payload
    results = session.scalars(
        select(OutboxMessage.result).where(
            OutboxMessage.workspace_id == workspace_id,
            key_starts_with(planned),
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.channel == user_id,
            payload["template"].as_string() == CheckinQuestion.TEMPLATE,
            payload[("args", "checkin_id")].as_integer() == checkin_id,
        )
    )
    return _places(results)


def survey_asked_in(session: Session, team_id: str, user_id: str, request_id: int) -> set[Where]:
    """The messages that asked `user_id` this survey request: its invitation and its reminder."""
    keys = [f"{kind.TEMPLATE}:{request_id}" for kind in (SurveyInvite, SurveyReminder)]
    results = session.scalars(
        select(OutboxMessage.result)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .where(
            Workspace.team_id == team_id,
            OutboxMessage.idempotency_key.in_(keys),
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.channel == user_id,
        )
    )
    return _places(results)


def _places(results: Iterable[dict[str, Any] | None]) -> set[Where]:
    """Where each sent row landed, as its result records it (a row without one landed nowhere known)."""
    places = set()
    for result in results:
        channel, ts = (result or {}).get("channel"), (result or {}).get("ts")
        if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
            places.add((channel, ts))
    return places
