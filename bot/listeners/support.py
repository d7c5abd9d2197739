"""The support form: opened from a button or `/circles support`, sent to the cohort's facilitators only."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_now, after_ack, parse_id, request_key
from bot.listeners.surfaces import tell
from bot.views.errors import friendly_message, friendly_plain_text
from bot.views.support_form import error_block, sent_modal, submitted_support, support_modal
from circles.domain.cohort_rules import slug_problem
from circles.errors import CirclesError
from circles.services.support.form import SupportAbout, send_support, support_form

OUT_OF_DATE = "That button is out of date: `/circles support` opens the form afresh."
FORM_OUT_OF_DATE = "This form is out of date. Close it and type /circles support to open it afresh."


def register(app: App, deps: Deps) -> None:
    app.action(ids.SUPPORT_OPEN)(ack=ack_now, lazy=[after_ack(open_from_button, deps)])
    # Sending happens in the ack, so a refusal shows on the form; the lazy part only wakes the sender.
    app.view(ids.SUPPORT_VIEW)(ack=partial(send_form, deps=deps), lazy=[after_ack(wake_sender, deps)])


def parse_support_value(value: object) -> SupportAbout | None:
    """What a button value or the form's metadata asks about; None for anything this app never wrote."""
    if not isinstance(value, str):
        return None
    if value == "":
        return SupportAbout()
    kind, colon, rest = value.partition(":")
    if kind == "c" and colon and slug_problem(rest) is None:
        return SupportAbout(cohort_slug=rest)
    partnership_id = parse_id(rest) if kind == "p" and colon else None
    return SupportAbout(partnership_id=partnership_id) if partnership_id is not None else None


def open_support_form(
    client: WebClient,
    deps: Deps,
    *,
    trigger_id: str,
    team_id: str,
    user_id: str,
    about: SupportAbout,
    in_modal: bool = False,
) -> None:
    """Open the form for what the person may ask about: one quick read, then views.open."""
    form = support_form(deps.db.unit_of_work(), team_id, user_id, about)
    if in_modal:  # pressed inside a modal (the list of someone's partners): stack the form on top
        client.views_push(trigger_id=trigger_id, view=support_modal(form))
    else:
        client.views_open(trigger_id=trigger_id, view=support_modal(form))


def open_from_button(incoming: Incoming) -> None:
    """A support button (in a DM, a status message or Home): refusals reach the person privately."""
    actions = incoming.body.get("actions") or [{}]
    # Slack leaves an empty value out of the payload, so a button without one means "".
    about = parse_support_value(actions[0].get("value", "") if isinstance(actions[0], dict) else None)
    if about is None:
        tell(incoming, OUT_OF_DATE)
        return
    try:
        open_support_form(
            incoming.client,
            incoming.deps,
            trigger_id=incoming.body["trigger_id"],
            team_id=incoming.team_id,
            user_id=incoming.user_id,
            about=about,
            in_modal=(incoming.body.get("view") or {}).get("type") == "modal",
        )
    except CirclesError as refused:
        tell(incoming, friendly_message(refused))


def send_form(ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest, deps: Deps) -> None:
    """The ack itself, after one short transaction: a refusal shows on the form, success replaces it."""
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    cohort, partnership, message = submitted_support(values)
    about = _chosen(parse_support_value(view.get("private_metadata", "")), cohort, partnership)
    if about is None:
        ack(response_action="errors", errors={ids.SUPPORT_MESSAGE: FORM_OUT_OF_DATE})
        return
    user_id = str((body.get("user") or {}).get("id", ""))
    try:
        sent = send_support(
            deps.db.unit_of_work(),
            context.team_id or "",
            user_id,
            about,
            message,
            deps.clock(),
            request_key=request_key(body, request),
        )
    except CirclesError as refused:
        ack(response_action="errors", errors={error_block(refused, values): friendly_plain_text(refused)})
        return
    ack(response_action="update", view=sent_modal(sent))


def wake_sender(incoming: Incoming) -> None:
    """Nothing left to do after the ack: after_ack wakes the sender, so the facilitators hear at once."""


def _chosen(opened: SupportAbout | None, cohort: str | None, partnership: str | None) -> SupportAbout | None:
    """What the form was opened for, with what the person chose on it; None when a value is not ours."""
    if opened is None or (cohort is not None and slug_problem(cohort) is not None):
        return None
    partnership_id = parse_id(partnership) if partnership is not None else None
    if partnership is not None and partnership_id is None:
        return None
    if opened.partnership_id is not None:
        return opened
    return SupportAbout(opened.cohort_slug or cohort, partnership_id)
