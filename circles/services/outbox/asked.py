"""Where the app asked someone in their DM, for the listeners that redraw what was pressed there.

A button's container and a form's private_metadata are the presser's word: they can name any message of
the app, a circle's prompt in its channel too. Only a message the app recorded sending to that person for
that check-in or survey request is theirs to redraw."""

from __future__ import annotations

from circles.persistence.db import UnitOfWork
from circles.queries.outbox import asked

Where = asked.Where


def where_checkin_asked(uow: UnitOfWork, team_id: str, user_id: str, checkin_id: int) -> set[Where]:
    """The messages that asked this person this check-in (planned, a catch-up, or a workflow step's)."""
    with uow:
        return asked.checkin_asked_in(uow.session, team_id, user_id, checkin_id)


def where_survey_asked(uow: UnitOfWork, team_id: str, user_id: str, request_id: int) -> set[Where]:
    """The messages that asked this person this survey request: its invitation and its reminder."""
    with uow:
        return asked.survey_asked_in(uow.session, team_id, user_id, request_id)
