"""The survey's button in the DM: its form opens, while the survey still takes answers."""

from __future__ import annotations

from bot.listeners.actions.checkins import clicked_message, update_message
from bot.listeners.actions.pressed_in import action_of
from bot.listeners.incoming import Incoming
from bot.views.errors import friendly_message
from bot.views.survey_form import SurveyOrigin, survey_modal
from bot.views.surveys import closed_message, parse_request_id
from circles.errors import SurveyAlreadyAnswered, SurveyClosed, SurveyNotYours
from circles.services.surveys.answers import survey_to_answer

# The message stays, but its button goes: these refusals mean it can never be answered again.
CLOSED = (SurveyAlreadyAnswered, SurveyClosed)


def open_form(incoming: Incoming) -> None:
    """Open the form of a survey the person may still answer; else say why where the button was."""
    request_id = parse_request_id(action_of(incoming).get("value"))
    if request_id is None:
        raise SurveyNotYours()
    clicked = clicked_message(incoming)
    reading = incoming.deps.db.reading()
    try:
        survey = survey_to_answer(
            reading, incoming.team_id, incoming.user_id, request_id, incoming.deps.clock()
        )
    except CLOSED as closed:
        if clicked is not None:
            update_message(incoming, clicked, closed_message(friendly_message(closed)))
        raise
    origin = (
        SurveyOrigin(request_id, survey.instrument.name, *clicked)
        if clicked
        else SurveyOrigin(request_id, survey.instrument.name)
    )
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=survey_modal(survey, origin))
