"""The form recording two members who must never be matched: checked in the ack, saved after it.

Whether both are members of the cohort is the database's to say, and a cohort of thousands does not fit in
a form's private_metadata: the ack shows "One moment…", and a refusal brings the form back as it was
filled in, the reason under the person it is about."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.errors import explained
from bot.listeners.incoming import Incoming
from bot.listeners.modals import answer_on_form
from bot.slack_refusals import after_the_change, send_dm, slack_failure
from bot.views.form_values import state_values
from bot.views.loading import loading_modal
from bot.views.match_conflict import (
    CHOOSE_A_MEMBER,
    ConflictForm,
    conflict_modal,
    conflict_recorded_text,
    read_conflict,
)
from circles.errors import PersonNotInCohort
from circles.services.matching.constraints import record_conflict

logger = logging.getLogger(__name__)


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack: missing or identical people show on the form at once; else it waits on "One moment…"."""
    errors = read_conflict(state_values(body.get("view")))[1]
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack(response_action="update", view=loading_modal("Record a conflict"))


def save_form(incoming: Incoming) -> None:
    form, errors = read_conflict(state_values(incoming.body.get("view")))
    if form is None or errors:
        return  # the form stayed open showing what to fix
    # A forged or broken submission may carry no cohort: no cohort is found, said on the form.
    slug = str((incoming.body.get("view") or {}).get("private_metadata") or "")
    deps = incoming.deps
    try:
        incoming.as_facilitator(record_conflict, slug, form.one, form.other, form.kind, now=deps.clock())
    except PersonNotInCohort as stranger:
        _form_again(incoming, slug, form, stranger)
        return
    except Exception as error:  # refused, or a fault (logged in full): said on the form, not "One moment…"
        text = explained(error, incoming.body)
        if not answer_on_form(incoming, text):
            send_dm(incoming.client, incoming.user_id, text)
        return
    text = conflict_recorded_text(slug, form)
    if not answer_on_form(incoming, text):  # closed meanwhile: said in the DM; recorded whatever Slack does
        after_the_change("confirming a conflict", partial(send_dm, incoming.client, incoming.user_id, text))


def _form_again(incoming: Incoming, slug: str, form: ConflictForm, stranger: PersonNotInCohort) -> None:
    """The form as it was filled in, the refusal under the person it is about; in the DM when it is gone."""
    said = explained(stranger, incoming.body)
    block = ids.MATCH_CONFLICT_ONE if stranger.user_id == form.one else ids.MATCH_CONFLICT_OTHER
    again = conflict_modal(slug, form, {block: f"{said} {CHOOSE_A_MEMBER}"})
    view_id = (incoming.body.get("view") or {}).get("id")
    try:
        if view_id:
            incoming.client.views_update(view_id=view_id, view=again)
            return
    except (SlackApiError, OSError) as error:  # OSError: Slack did not answer in time, or not at all
        logger.info("the conflict form could not come back (%s): answering in the DM", slack_failure(error))
    send_dm(incoming.client, incoming.user_id, f"{said} Nothing was recorded.")
