"""The facilitator's preview of a round, and the progress of creating it in Slack."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.views.match_endings import kept_apart_blocks, repeated_text
from bot.views.match_list import SECTION, listings, opening, see_all_words
from bot.views.message import Message
from bot.views.text import clip_mrkdwn, fit_plain, mrkdwn
from circles.services.creation import Progress
from circles.services.matching import RoundPlan

SHOWN = 20  # lines of each kind in the preview; "See all" opens the whole round


def preview_message(round_plan: RoundPlan, *, with_confirm: bool = True) -> Message:
    """Each circle and pair with why it was formed, who is left out and why, and repeats and conflicts.

    A large round shows the first of each that fit, says how many more there are, and offers the whole
    round in a modal before anything is confirmed.
    """
    plan = round_plan.plan
    rematch = plan.get("rematch")
    heading = (
        f"Re-match in {round_plan.cohort_name}: preview"
        if rematch
        else f"Round {round_plan.round} of {round_plan.cohort_name}: preview"
    )
    blocks: list[Block] = [HeaderBlock(text=fit_plain(heading, 150))]
    if rematch:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn(_rematch_text(plan), SECTION))))
    hidden = 0
    for listing in listings(plan):
        text, left_out = opening(listing, SHOWN)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
        hidden += left_out
    blocks += kept_apart_blocks(round_plan, with_buttons=with_confirm)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip_mrkdwn(_counts(plan), SECTION))]))
    buttons = [
        ButtonElement(text="Record a conflict", action_id=ids.MATCH_CONFLICT_OPEN, value=round_plan.slug)
    ]
    if hidden and round_plan.run_id:
        words = fit_plain(see_all_words(plan), 75)
        buttons.insert(
            0, ButtonElement(text=words, action_id=ids.MATCH_SEE_ALL, value=str(round_plan.run_id))
        )
    if with_confirm and round_plan.run_id:
        confirm = ButtonElement(
            text="Confirm and create",
            action_id=ids.MATCH_CONFIRM,
            value=str(round_plan.run_id),
            style="primary",
        )
        buttons.insert(0, confirm)
    blocks.append(ActionsBlock(block_id=ids.MATCH_PREVIEW_BLOCK, elements=buttons))
    return Message(text=mrkdwn(heading), blocks=blocks)


def _rematch_text(plan: dict[str, Any]) -> str:
    lines = [f"*For <@{plan['rematch']['user']}>*"]
    lines += [f"• Joins *{mrkdwn(j['name'])}* — {mrkdwn(j['why'])}" for j in plan.get("joins", [])]
    users: dict[str, str] = plan["users"]
    for note in plan.get("notes", []):
        partner = f" Partner: <@{users[str(note['with'])]}>." if note.get("with") else ""
        lines.append(f"• {mrkdwn(note['text'])}{partner}")
    if not plan.get("joins") and not plan.get("pairs"):
        lines.append("Nothing to create: see above.")
    return "\n".join(lines)


def _counts(plan: dict[str, Any]) -> str:
    text = f"Repeats: {plan['repeats']} · Conflicts: {plan['conflicts']}"
    repeated: list[dict[str, Any]] = plan.get("repeated", [])
    forced = [again for again in repeated if not again.get("allowed")]
    if plan["repeats"] and (forced or not repeated):  # pairs a facilitator allowed are no accident
        text += f" — {mrkdwn(plan.get('repeat_reason', 'unavoidable with these members'))}"
    named = repeated_text(plan)
    return text + ("\n" + named if named else "")


def progress_text(round_plan: RoundPlan, progress: Progress, problems: list[str] | None = None) -> str:
    """A facilitator's running account of what has been created."""
    state = "Done" if progress.finished else "Creating"
    name = mrkdwn(round_plan.cohort_name)
    what = "a re-match" if round_plan.plan.get("rematch") else f"round {round_plan.round}"
    text = f"{state}: {what} of *{name}* — {progress.done} of {progress.total} steps"
    if progress.failed:
        text += f", {progress.failed} could not be done"
    return text + "." + ("\n" + "\n".join(problems) if problems else "")


def paused_text(round_plan: RoundPlan, reason: str) -> str:
    return (
        f"Slack asked us to slow down ({mrkdwn(reason)}) while creating round {round_plan.round} of "
        f"*{mrkdwn(round_plan.cohort_name)}*. Everything created so far is kept; run "
        f"`/circles match {round_plan.slug}` again to finish the rest."
    )
