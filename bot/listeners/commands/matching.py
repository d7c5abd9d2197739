"""`/circles match <slug> [preview]`, and `/circles match <slug> @someone [preview]` to re-match one."""

from __future__ import annotations

from bot.listeners.commands.request import MENTION, CommandRequest
from bot.views.matching import preview_message, resuming_text
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round, unfinished_round
from circles.services.rounds.queue import resume_round
from circles.services.rounds.steps import round_report

USAGE = (
    "Use `/circles match &lt;cohort&gt;` to match now, "
    "or `/circles match &lt;cohort&gt; preview` to look first. "
    "To re-match one member later: `/circles match &lt;cohort&gt; @someone [preview]`."
)


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
