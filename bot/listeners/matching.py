"""`/circles match <slug> [preview]` and the Confirm button; the dispatcher creates the round in Slack."""

from __future__ import annotations

import logging
import re

from slack_bolt import App, Respond

from bot import ids
from bot.deps import Deps
from bot.listeners import match_list
from bot.listeners.commands.request import CommandRequest
from bot.listeners.incoming import Incoming, ack_now, after_ack, parse_id
from bot.views.errors import friendly_message
from bot.views.matching import confirmed_text, preview_message, resuming_text
from circles.errors import StalePreview
from circles.services.matching.overrides import allow_pair_again
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round, unfinished_round
from circles.services.rounds.queue import resume_round
from circles.services.rounds.steps import round_report

logger = logging.getLogger(__name__)
USAGE = (
    "Use `/circles match &lt;cohort&gt;` to match now, "
    "or `/circles match &lt;cohort&gt; preview` to look first. "
    "To re-match one member later: `/circles match &lt;cohort&gt; @someone [preview]`."
)
# Slack sends mentions escaped: <@U123|name>, or <@U123> in newer clients.
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
SLUG = re.compile(r"^[a-z0-9-]{1,40}$")
USER = re.compile(r"^[UW][A-Z0-9]{1,31}$")


def register(app: App, deps: Deps) -> None:
    app.action(ids.MATCH_CONFIRM)(ack=ack_now, lazy=[after_ack(confirm_clicked, deps)])
    app.action(ids.MATCH_ALLOW_AGAIN)(ack=ack_now, lazy=[after_ack(allow_again_clicked, deps)])
    match_list.register(app, deps)  # "See all" on a preview


def match_command(request: CommandRequest) -> None:
    words = list(request.parsed.args)
    member = MENTION.match(words[1]) if len(words) > 1 else None
    if member:
        del words[1]
    args = [a.lower() for a in words]
    if not args or len(args) > 2 or (len(args) == 2 and args[1] != "preview"):
        request.say(USAGE)
        return
    if member:
        rematch_command(request, args[0], member.group(1), preview_only=len(args) == 2)
        return
    deps, admin = request.deps, request.is_admin()
    unfinished = unfinished_round(
        deps.db.unit_of_work(), request.team_id, args[0], user_id=request.user_id, is_admin=admin
    )
    if unfinished is not None:
        resume_round(deps.db.unit_of_work(), unfinished.run_id, deps.clock())
        request.say(resuming_text(round_report(deps.db.reading(), unfinished.run_id)))
        return
    plan = preview_round(
        deps.db.unit_of_work(),
        request.team_id,
        args[0],
        user_id=request.user_id,
        is_admin=admin,
        now=deps.clock(),
    )
    _show_or_create(request, plan, preview_only=len(args) == 2)


def rematch_command(request: CommandRequest, slug: str, member: str, *, preview_only: bool) -> None:
    """Place one member in a circle with room and find them a partner, by the round's rules."""
    deps, admin = request.deps, request.is_admin()
    plan = preview_rematch(
        deps.db.unit_of_work(),
        request.team_id,
        slug,
        member,
        user_id=request.user_id,
        is_admin=admin,
        now=deps.clock(),
    )
    _show_or_create(request, plan, preview_only=preview_only or not plan.run_id)


def _show_or_create(request: CommandRequest, plan: RoundPlan, *, preview_only: bool) -> None:
    """Show the preview with its Confirm button, or show it and create it at once."""
    if preview_only:
        request.reply(preview_message(plan))
        return
    request.reply(preview_message(plan, with_confirm=False))
    deps = request.deps
    confirm_round(  # queues the round's creation in Slack; the dispatcher is woken after this
        deps.db.unit_of_work(),
        request.team_id,
        plan.run_id,
        user_id=request.user_id,
        is_admin=request.is_admin(),
        now=deps.clock(),
    )


def confirm_clicked(incoming: Incoming) -> None:
    deps, value = incoming.deps, str(incoming.body["actions"][0].get("value", ""))
    run_id = parse_id(value)
    if run_id is None:
        _say(incoming.respond, "That button is out of date. Run `/circles match` again for a fresh preview.")
        return
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
        fresh = _fresh_preview(incoming, stale)
        message = preview_message(fresh)
        _say(incoming.respond, friendly_message(stale))
        incoming.respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )
        return
    incoming.respond(text=confirmed_text(confirmed), replace_original=True)


def allow_again_clicked(incoming: Incoming) -> None:
    """Allow one ended pair to be matched again, and replace the preview with a fresh one."""
    parsed = parse_allow_value(str(incoming.body["actions"][0].get("value", "")))
    if parsed is None:
        _say(incoming.respond, "That button is out of date. Run `/circles match` again for a fresh preview.")
        return
    slug, first, second, rematch_user = parsed
    deps = incoming.deps
    fresh = allow_pair_again(
        deps.db.unit_of_work(),
        incoming.team_id,
        slug,
        (first, second),
        rematch_user_id=rematch_user,
        user_id=incoming.user_id,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
    )
    message = preview_message(fresh)
    incoming.respond(
        text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=True
    )


def parse_allow_value(value: str) -> tuple[str, int, int, str | None] | None:
    """The cohort, the pair and any re-matched user from a button value (hostile input); None if malformed."""
    slug, *rest = value.split(":")
    if len(rest) not in (2, 3) or not SLUG.match(slug):
        return None
    first, second = parse_id(rest[0]), parse_id(rest[1])
    user = rest[2] if len(rest) == 3 else None
    if first is None or second is None or (user is not None and not USER.match(user)):
        return None
    return slug, first, second, user


def _fresh_preview(incoming: Incoming, stale: StalePreview) -> RoundPlan:
    deps, user_id, admin = incoming.deps, incoming.user_id, incoming.is_admin()
    uow, team_id, now = deps.db.unit_of_work(), incoming.team_id, deps.clock()
    if stale.rematch_user_id:
        member = stale.rematch_user_id
        return preview_rematch(uow, team_id, stale.slug, member, user_id=user_id, is_admin=admin, now=now)
    return preview_round(uow, team_id, stale.slug, user_id=user_id, is_admin=admin, now=now)


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)
