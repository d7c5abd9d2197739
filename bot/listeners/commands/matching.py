"""`/circles match <slug> [preview]`, and `/circles match <slug> @someone [preview]` to re-match one."""

from __future__ import annotations

from bot.listeners.actions.matching import offer_fresh_preview
from bot.listeners.commands.request import MENTION, CommandRequest
from bot.views.matching import preview_message, resuming_text
from circles.errors import StalePreview
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
    deps = request.deps
    unfinished = request.as_facilitator(unfinished_round, args[0])
    if unfinished is not None:
        resume_round(deps.db.unit_of_work(), unfinished.run_id, deps.clock())
        request.say(resuming_text(round_report(deps.db.reading(), unfinished.run_id)))
        return
    plan = request.as_facilitator(preview_round, args[0], now=deps.clock())
    _show_or_create(request, plan, preview_only=len(args) == 2)


def rematch_command(request: CommandRequest, slug: str, member: str, *, preview_only: bool) -> None:
    """Place one member in a circle with room and find them a partner, by the round's rules."""
    plan = request.as_facilitator(preview_rematch, slug, member, now=request.deps.clock())
    _show_or_create(request, plan, preview_only=preview_only or not plan.run_id)


def _show_or_create(request: CommandRequest, plan: RoundPlan, *, preview_only: bool) -> None:
    """Show the preview with its Confirm button, or create it at once and then show it."""
    if preview_only:
        request.reply(preview_message(plan))
        return
    try:
        # Queues the round's creation in Slack; the dispatcher is woken after this.
        request.as_facilitator(confirm_round, plan.run_id, now=request.deps.clock())
    except StalePreview as stale:  # members changed in between: nothing was created
        offer_fresh_preview(request, stale)
        return
    request.reply(preview_message(plan, with_confirm=False))
