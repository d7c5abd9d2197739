"""`/circles match <slug> [preview]`, the Confirm button, and creating the round in Slack with progress."""

from __future__ import annotations

import logging

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot import ids
from bot.creation import CreationPaused, carry_out
from bot.deps import Deps
from bot.listeners.commands.request import CommandRequest
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.views.errors import friendly_message
from bot.views.matching import paused_text, preview_message, progress_text
from circles.errors import StalePreview
from circles.services.creation import Progress
from circles.services.matching import RoundPlan, confirm_round, preview_round, unfinished_round

logger = logging.getLogger(__name__)
USAGE = (
    "Use `/circles match &lt;cohort&gt;` to match now, "
    "or `/circles match &lt;cohort&gt; preview` to look first."
)


def register(app: App, deps: Deps) -> None:
    app.action(ids.MATCH_CONFIRM)(ack=ack_now, lazy=[after_ack(confirm_clicked, deps)])


def match_command(request: CommandRequest) -> None:
    args = [a.lower() for a in request.parsed.args]
    if not args or len(args) > 2 or (len(args) == 2 and args[1] != "preview"):
        request.say(USAGE)
        return
    deps, admin = request.deps, request.is_admin()
    unfinished = unfinished_round(
        deps.db.unit_of_work(), request.team_id, args[0], user_id=request.user_id, is_admin=admin
    )
    if unfinished is not None:
        request.say(f"Finishing round {unfinished.round} of *{unfinished.cohort_name}*, started earlier.")
        create_in_slack(request.client, deps, request.user_id, unfinished)
        return
    plan = preview_round(
        deps.db.unit_of_work(),
        request.team_id,
        args[0],
        user_id=request.user_id,
        is_admin=admin,
        now=deps.clock(),
    )
    if len(args) == 2:
        request.reply(preview_message(plan))
        return
    request.reply(preview_message(plan, with_confirm=False))
    confirmed = confirm_round(
        deps.db.unit_of_work(),
        request.team_id,
        plan.run_id,
        user_id=request.user_id,
        is_admin=admin,
        now=deps.clock(),
    )
    create_in_slack(request.client, deps, request.user_id, confirmed)


def confirm_clicked(incoming: Incoming) -> None:
    deps, run_id = incoming.deps, int(incoming.body["actions"][0]["value"])
    try:
        confirmed = confirm_round(
            deps.db.unit_of_work(),
            incoming.team_id,
            run_id,
            user_id=incoming.user_id,
            is_admin=incoming.is_admin(),
            now=deps.clock(),
        )
    except StalePreview as stale:
        fresh = preview_round(
            deps.db.unit_of_work(),
            incoming.team_id,
            stale.slug,
            user_id=incoming.user_id,
            is_admin=incoming.is_admin(),
            now=deps.clock(),
        )
        message = preview_message(fresh)
        _say(incoming.respond, friendly_message(stale))
        incoming.respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )
        return
    incoming.respond(text=f"Confirmed round {confirmed.round}: creating it now.", replace_original=True)
    create_in_slack(incoming.client, deps, incoming.user_id, confirmed)


def create_in_slack(client: WebClient, deps: Deps, facilitator: str, plan: RoundPlan) -> None:
    """Create the round, keeping a progress message up to date in the facilitator's DM."""
    posted = client.chat_postMessage(
        channel=facilitator, text=f"Creating round {plan.round} of {plan.cohort_name}…"
    )
    channel, ts = posted["channel"], posted["ts"]

    def report(progress: Progress) -> None:
        client.chat_update(channel=channel, ts=ts, text=progress_text(plan, progress))

    try:
        report(carry_out(client, deps, plan.run_id, report))
    except CreationPaused as paused:
        client.chat_update(channel=channel, ts=ts, text=paused_text(plan, str(paused)))


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)
