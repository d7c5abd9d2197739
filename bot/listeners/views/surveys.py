"""The survey form: checked in the ack, stored after it, the DM message then turned "answered"."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.errors import explained
from bot.listeners.actions.checkins import post_in_dm, update_message
from bot.listeners.actions.surveys import CLOSED
from bot.listeners.incoming import Incoming, ack_errors
from bot.listeners.modals import answer_on_form
from bot.slack_refusals import after_the_change
from bot.views.errors import friendly_message
from bot.views.form_values import state_values
from bot.views.loading import loading_modal
from bot.views.message import Message
from bot.views.survey_form import SurveyOrigin, is_last, parts, survey_modal
from bot.views.survey_values import submitted_survey
from bot.views.surveys import answered_message, closed_message
from circles.errors import CirclesError, SurveyChanged, SurveyNotYours
from circles.notes import NoteCipher, NotesKeyMissing, note_cipher
from circles.services.surveys.answers import SurveyAnswered, answer_survey
from instruments.catalog import instrument

logger = logging.getLogger(__name__)


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack itself: what to fix shows inline at once; no database, no Slack call, nothing stored."""
    view = body.get("view") or {}
    origin = SurveyOrigin.decode(view.get("private_metadata"))
    if origin is None or origin.outdated():  # closed; the work after the ack says why in the DM
        ack()
        return
    survey = instrument(origin.instrument)
    empty_before = origin.answered_before is False
    errors = submitted_survey(state_values(view), survey, origin.part, empty_before)[1]
    if not errors and not is_last(survey, origin):  # the next part follows once this one is kept
        ack(response_action="update", view=loading_modal(survey.title))
        return
    ack_errors(ack, errors)


def form_sent(incoming: Incoming) -> None:
    """After the ack: store the answers, then update the DM message (or confirm in the DM)."""
    view = incoming.body.get("view") or {}
    origin = SurveyOrigin.decode(view.get("private_metadata"))
    shown_in = (origin.channel, origin.ts) if origin and origin.channel and origin.ts else None
    final = True  # until known otherwise: only a part with another to follow was left on "One moment…"
    try:
        if origin is None:
            raise SurveyNotYours()
        if origin.outdated():
            raise SurveyChanged()
        survey = instrument(origin.instrument)
        given = submitted_survey(state_values(view), survey, origin.part, origin.answered_before is False)[0]
        if given is None:
            return  # the form stayed open showing what to fix
        cipher = _cipher(incoming) if given.texts else None
        final = is_last(survey, origin)
        done = incoming.as_person(
            answer_survey,
            origin.request_id,
            given,
            incoming.deps.clock(),
            cipher=cipher,
            final=final,
            version=origin.version,
        )
    except CirclesError as error:
        # A form has no thread to answer in: the refusal goes on the form when it waits on "One moment…"
        # (a part with another to follow), else to the person's DM with the app.
        if isinstance(error, CLOSED) and shown_in is not None:
            update_message(incoming, shown_in, closed_message(friendly_message(error)))
        if final or not answer_on_form(incoming, friendly_message(error)):
            post_in_dm(incoming, Message(text=friendly_message(error), blocks=[]))
        return
    except Exception as error:  # on the form when it waits on "One moment…", else in the DM; logged in full
        text = explained(error, incoming.body)
        if final or not answer_on_form(incoming, text):
            post_in_dm(incoming, Message(text=text, blocks=[]))
        return
    if not final:
        following = partial(
            incoming.client.views_update,
            view_id=view["id"],
            view=survey_modal(done.survey, _after(origin, done)),
        )
        if not after_the_change("showing a survey's next part", following):  # closed meanwhile, say
            tell = partial(post_in_dm, incoming, Message(text=part_kept(origin), blocks=[]))
            after_the_change("saying a survey's part was kept", tell)
        return
    if shown_in is None or not update_message(incoming, shown_in, answered_message(done)):
        confirm = partial(post_in_dm, incoming, answered_message(done))
        after_the_change("confirming a survey's answers", confirm)  # they are kept whatever Slack does


def _after(origin: SurveyOrigin, done: SurveyAnswered) -> SurveyOrigin:
    """The next part's form, knowing whether anything is kept so far (this part's answers included)."""
    kept = done.answered > 0 or origin.answered_before is True
    return replace(origin.next_part(done.survey), answered_before=kept)


def part_kept(origin: SurveyOrigin) -> str:
    """The part was kept but its form could not go on to the next (closed, say): what is saved, and how to
    finish. Answer opens the survey at its first part again, asking nothing answered before."""
    count, following = len(parts(instrument(origin.instrument))), origin.part + 2
    return (
        f"Your answers to part {origin.part + 1} of {count} are saved, but part {following} could not "
        "open. To finish, press *Answer* on the survey again: what you answered is kept and not asked "
        "again, and *Next* takes you on to the questions still to answer."
    )


def _cipher(incoming: Incoming) -> NoteCipher | None:
    """The notes cipher; None (the words are not stored, the rest is) without a usable key."""
    try:
        return note_cipher(incoming.deps.settings)
    except (NotesKeyMissing, ValueError):
        logger.error("survey words were not stored: no usable notes key (CIRCLES_NOTES_KEY)")
        return None
