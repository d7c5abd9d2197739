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
from bot.views.message import Message
from bot.views.text import mrkdwn
from circles.services.creation import Progress
from circles.services.matching import RoundPlan

SHOWN = 20  # Slack allows 50 blocks a message; larger rounds are summarised


def preview_message(round_plan: RoundPlan, *, with_confirm: bool = True) -> Message:
    """Each circle and pair with why it was formed, who is left out and why, and repeats and conflicts."""
    plan = round_plan.plan
    users: dict[str, str] = plan["users"]
    rematch = plan.get("rematch")
    heading = (
        f"Re-match in {round_plan.cohort_name}: preview"
        if rematch
        else f"Round {round_plan.round} of {round_plan.cohort_name}: preview"
    )
    blocks: list[Block] = [HeaderBlock(text=heading[:150])]
    if rematch:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_clip(_rematch_text(plan)))))
    circles, pairs = plan["circles"], plan["pairs"]
    lines = [_circle_line(i, c, users) for i, c in enumerate(circles[:SHOWN], start=1)]
    if len(circles) > SHOWN:
        lines.append(f"…and {len(circles) - SHOWN} more circles.")
    if lines:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=_clip(f"*{len(circles)} circles*\n" + "\n".join(lines)))
            )
        )
    if pairs:
        pair_lines = [_pair_line(p, users) for p in pairs[:SHOWN]]
        if len(pairs) > SHOWN:
            pair_lines.append(f"…and {len(pairs) - SHOWN} more pairs.")
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=_clip(f"*{len(pairs)} pairs*\n" + "\n".join(pair_lines)))
            )
        )
    if plan["unplaced"]:
        left = [f"• <@{users[str(u['member'])]}> — {mrkdwn(u['reason'])}" for u in plan["unplaced"][:SHOWN]]
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=_clip("*Not matched this round*\n" + "\n".join(left))))
        )
    blocks += kept_apart_blocks(round_plan, with_buttons=with_confirm)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_clip(_counts(plan)))]))
    buttons = [
        ButtonElement(text="Record a conflict", action_id=ids.MATCH_CONFLICT_OPEN, value=round_plan.slug)
    ]
    if with_confirm and round_plan.run_id:
        confirm = ButtonElement(
            text="Confirm and create",
            action_id=ids.MATCH_CONFIRM,
            value=str(round_plan.run_id),
            style="primary",
        )
        buttons.insert(0, confirm)
    blocks.append(ActionsBlock(block_id=ids.MATCH_PREVIEW_BLOCK, elements=buttons))
    return Message(text=heading, blocks=blocks)


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


def _circle_line(index: int, circle: dict[str, Any], users: dict[str, str]) -> str:
    people = ", ".join(f"<@{users[str(m)]}>" for m in circle["members"])
    return f"{index}. {people} — {mrkdwn(circle['why'])}"


def _pair_line(pair: dict[str, Any], users: dict[str, str]) -> str:
    return f"• <@{users[str(pair['first'])]}> + <@{users[str(pair['second'])]}> — {mrkdwn(pair['why'])}"


def _counts(plan: dict[str, Any]) -> str:
    text = f"Repeats: {plan['repeats']} · Conflicts: {plan['conflicts']}"
    repeated: list[dict[str, Any]] = plan.get("repeated", [])
    forced = [again for again in repeated if not again.get("allowed")]
    if plan["repeats"] and (forced or not repeated):  # pairs a facilitator allowed are no accident
        text += f" — {mrkdwn(plan.get('repeat_reason', 'unavoidable with these members'))}"
    named = repeated_text(plan)
    return text + ("\n" + named if named else "")


def _clip(text: str) -> str:
    return text if len(text) <= 2900 else text[:2890] + "\n…"


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
