"""A facilitator's private alert about one partnership: who, why, the trend, shared notes, status, actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot import ids
from bot.views.membership import when
from bot.views.message import Message
from bot.views.text import clip_mrkdwn, fit_mrkdwn, mrkdwn
from circles.domain.escalations import SNOOZE_DAYS

STATES = {
    "struggling": "struggling",
    "needs_attention": "needs attention",
    "steady": "steady",
    "thriving": "thriving",
}
KINDS = {"coach_learner": "coach and learner", "mentor_learner": "mentor and learner", "peer": "peers"}
OUTCOMES = {
    "reconnected": "they reconnected",
    "rematched": "re-matched",
    "ended": "the partnership ended",
    "no_action": "no action needed",
}
HEADINGS = {
    "reminder": "Still waiting: a partnership may need you",
    "back": "Back from snooze: a partnership may need you",
    "admins": "No facilitator has picked this up yet",
}
SHOWN_REASONS = 8
SECTION = 3000  # characters in a section


def escalation_message(args: dict[str, Any]) -> Message:
    """The whole alert; the same arguments give the same message, so every copy can be redrawn."""
    escalation_id = int(args["escalation_id"])
    occasion = str(args.get("occasion", "")).rstrip("0123456789")
    heading = HEADINGS.get(occasion, "A partnership may need you")
    name = mrkdwn(str(args.get("cohort_name", "")))
    kind = KINDS.get(str(args.get("kind")), "partners")
    state = STATES.get(str(args.get("state")), "needs attention")
    pair = f"<@{args['first']}> and <@{args['second']}> ({kind}) in *{name}*: health is *{state}*."
    blocks: list[Block] = [HeaderBlock(text=heading), SectionBlock(text=MarkdownTextObject(text=pair))]
    reasons = [f"• {fit_mrkdwn(str(r), 300)}" for r in list(args.get("reasons") or [])[:SHOWN_REASONS]]
    if reasons:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Why*\n" + "\n".join(reasons))))
    trend = _trend(args.get("trend") or [])
    if trend:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Recent check-ins: {trend}")]))
    blocks += _notes(args)
    blocks.append(
        SectionBlock(
            block_id=ids.ESCALATION_STATUS_BLOCK,
            text=MarkdownTextObject(text=clip_mrkdwn(status_text(args), SECTION)),
        )
    )
    if args.get("status") != "resolved":
        blocks.append(_actions(escalation_id, args))
    privacy = (
        "Sent to you as an admin: no facilitator has picked it up. Only facilitators and admins see this."
        if args.get("for_admins")
        else "Only the cohort's facilitators see this."
    )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=privacy)]))
    # The notification shows the fallback text on lock screens: no names, no reasons.
    return Message(text=f"A partnership in {name} may need you.", blocks=blocks)


def status_text(args: dict[str, Any]) -> str:
    """Where the escalation stands: who has it, until when it sleeps, or how it ended."""
    status, claimed_by = args.get("status"), args.get("claimed_by")
    if status == "resolved":
        outcome = OUTCOMES.get(str(args.get("outcome")), "resolved")
        text = f"Resolved by {_who(args.get('resolved_by'))} {_when(args.get('resolved_at'))}: {outcome}."
        if args.get("comment"):
            text += "\n>" + mrkdwn(str(args["comment"])).replace("\n", "\n>")
    elif status == "snoozed":
        text = (
            f"Snoozed by <@{args.get('snoozed_by') or 'someone'}> until {_when(args.get('snoozed_until'))}."
        )
        if claimed_by:
            text += f" <@{claimed_by}> said they would reach out."
    elif claimed_by:
        text = f"<@{claimed_by}> is reaching out, since {_when(args.get('claimed_at'))}."
    else:
        text = "Nobody has said they will reach out yet."
    partnership = args.get("partnership_status")
    if partnership == "paused":
        text += " The partnership is paused."
    elif partnership == "ended":
        text += " The partnership has ended."
    return text


def _notes(args: dict[str, Any]) -> list[Block]:
    if args.get("for_admins"):
        note = "Notes the partners shared are for the cohort's facilitators, so they are not shown here."
        return [ContextBlock(elements=[MarkdownTextObject(text=note)])]
    notes = list(args.get("notes") or [])
    if not notes:
        return []
    heading = "*What they chose to share with you*"
    share = (SECTION - len(heading)) // len(notes) - 1  # each note gets its part of the section, escaped
    lines = [heading]
    for note in notes:
        quoted = mrkdwn(str(note.get("text", ""))).replace("\n", "\n>")
        lines.append(
            clip_mrkdwn(f"<@{note.get('author')}>, {_day(str(note.get('at', '')))}:\n>{quoted}", share)
        )
    text = "\n".join(lines)
    return [SectionBlock(block_id=ids.ESCALATION_NOTES_BLOCK, text=MarkdownTextObject(text=text))]


def _actions(escalation_id: int, args: dict[str, Any]) -> ActionsBlock:
    value = str(escalation_id)
    partnership = args.get("partnership_status")
    elements: list[Any] = []
    if not args.get("claimed_by"):
        elements.append(
            ButtonElement(text="I'll reach out", action_id=ids.ESCALATION_CLAIM, value=value, style="primary")
        )
    elements.append(
        StaticSelectElement(
            action_id=ids.ESCALATION_SNOOZE,
            placeholder="Snooze…",
            options=[
                Option(text=f"{d} day{'s' if d > 1 else ''}", value=f"{value}:{d}") for d in SNOOZE_DAYS
            ],
        )
    )
    elements.append(ButtonElement(text="Resolve…", action_id=ids.ESCALATION_RESOLVE_OPEN, value=value))
    if partnership == "active":
        elements.append(
            _confirmed(
                "Pause partnership", ids.ESCALATION_PAUSE, value, "Pause the partnership?", PAUSE_WORDS
            )
        )
    elements.append(
        _confirmed("Suggest re-match", ids.ESCALATION_REMATCH, value, "End it and re-match?", REMATCH_WORDS)
    )
    if partnership != "ended":
        elements.append(
            _confirmed(
                "End partnership", ids.ESCALATION_END, value, "End the partnership?", END_WORDS, "danger"
            )
        )
    return ActionsBlock(block_id=f"{ids.ESCALATION_BLOCK}:{value}", elements=elements)


PAUSE_WORDS = "Check-ins and pair prompts stop. Both partners are told it is paused, not by whom or why."
REMATCH_WORDS = (
    "The partnership ends and you get a re-match preview for each partner. They are told only that it ended."
)
END_WORDS = "Both partners are told only that it ended, with no blame. This resolves the alert."


def _confirmed(
    words: str, action_id: str, value: str, title: str, text: str, style: str | None = None
) -> ButtonElement:
    confirm = ConfirmObject(title=title, text=text, confirm="Yes", deny="Not now")
    return ButtonElement(text=words, action_id=action_id, value=value, style=style, confirm=confirm)


def _trend(points: list[Any]) -> str:
    shown = []
    for point in points[-6:]:
        if isinstance(point, list | tuple) and len(point) == 2:
            shown.append(f"{_day(str(point[0]))} {STATES.get(str(point[1]), mrkdwn(str(point[1])))}")
    return " → ".join(shown)


def _day(iso: str) -> str:
    try:
        day = date.fromisoformat(iso[:10])
        return f"{day.day} {day:%b}"
    except ValueError:
        return mrkdwn(iso[:10])


def _who(user_id: Any) -> str:
    return f"<@{user_id}>" if user_id else "a facilitator"


def _when(iso: Any) -> str:
    try:
        return when(datetime.fromisoformat(str(iso)))
    except ValueError:
        return "—"
