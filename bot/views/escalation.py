"""A facilitator's private alert about one partnership: who, why, the trend, shared notes, status, actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot import ids
from bot.views.escalation_headings import heading, improved_line, notification
from bot.views.health import ROLES
from bot.views.membership import when
from bot.views.message import Message, confirmed_button, context_line, text_section
from bot.views.text import clip_mrkdwn, counted, fit_mrkdwn, mrkdwn, person
from circles.domain.escalations import APP_ACTOR, SNOOZE_DAYS, Outcome
from circles.domain.health import STATE_WORDS
from circles.domain.vocabulary import (
    EscalationStatus,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
)
from circles.messages import EscalationCard, EscalationWithdrawn, Resolution, Snooze

STATES = {state: words.word for state, words in STATE_WORDS.items()}
# "coach and learner": the same roles the health board names each partner by.
KINDS = {**{kind: " and ".join(roles) for kind, roles in ROLES.items()}, PartnershipKind.PEER: "peers"}
OUTCOMES = {
    Outcome.RECONNECTED: "they reconnected",
    Outcome.REMATCHED: "re-matched",
    Outcome.ENDED: "the partnership ended",
    Outcome.NO_ACTION: "no action needed",
}
SHOWN_REASONS = 8
SECTION = 3000  # characters in a section


def escalation_message(card: EscalationCard) -> Message:
    """The whole alert; the same card gives the same message, so every copy can be redrawn."""
    name = mrkdwn(card.cohort_name)
    kind = KINDS.get(card.kind, "partners") if card.kind else "partners"
    state = STATES[card.state if card.state else PartnershipHealthState.NEEDS_ATTENTION]
    pair = f"{person(card.first)} and {person(card.second)} ({kind}) in *{name}*: health is *{state}*."
    blocks: list[Block] = [HeaderBlock(text=heading(card)), text_section(pair)]
    if better := improved_line(card):
        blocks.append(text_section(better))
    reasons = [f"• {fit_mrkdwn(r, 300)}" for r in card.reasons[:SHOWN_REASONS]]
    if reasons:
        blocks.append(text_section("*Why*\n" + "\n".join(reasons)))
    trend = " → ".join(f"{_day(point.day)} {STATES[point.state]}" for point in card.trend[-6:])
    if trend:
        blocks.append(context_line(f"Recent check-ins: {trend}"))
    blocks += _notes(card)
    blocks.append(
        SectionBlock(
            block_id=ids.ESCALATION_STATUS_BLOCK,
            text=MarkdownTextObject(text=clip_mrkdwn(status_text(card), SECTION)),
        )
    )
    if card.status is not EscalationStatus.RESOLVED:
        blocks.append(_actions(card))
    privacy = (
        "Sent to you as an admin: no facilitator has picked it up. Only facilitators and admins see this."
        if card.for_admins
        else "Only the cohort's facilitators see this."
    )
    blocks.append(context_line(privacy))
    # The notification shows the fallback text on lock screens: no names, no reasons.
    return Message(text=notification(card, name), blocks=blocks)


def withdrawn_message(withdrawn: EscalationWithdrawn) -> Message:
    """A copy whose reader no longer facilitates the cohort: nothing of the pair, its health or notes. The
    one drawing of it, for the outbox's redraws and a button's alike."""
    name = mrkdwn(withdrawn.cohort_name)
    text = f"This alert about a partnership in *{name}* is for the cohort's facilitators."
    return Message(text="This alert is no longer shown here.", blocks=[text_section(text)])


def status_text(card: EscalationCard) -> str:
    """Where the escalation stands: who has it, until when it sleeps, or how it ended.

    The partnership's state comes before a resolution comment: a long comment is what gets shortened."""
    claimed_by = card.claim.by if card.claim else None
    if card.status is EscalationStatus.RESOLVED:
        resolution = card.resolution or Resolution()
        outcome = OUTCOMES[resolution.outcome] if resolution.outcome else "resolved"
        by = "" if resolution.by == APP_ACTOR else f" by {_who(resolution.by)}"  # the app is nobody to @
        text = f"Resolved{by} {when(resolution.at)}: {outcome}." + _partnership_state(card)
        if resolution.comment:
            text += "\n>" + mrkdwn(resolution.comment).replace("\n", "\n>")
        return text
    if card.status is EscalationStatus.SNOOZED:
        snooze = card.snooze or Snooze()
        text = f"Snoozed by <@{snooze.by or 'someone'}> until {when(snooze.until)}."
        if claimed_by:
            text += f" <@{claimed_by}> said they would reach out."
    elif card.claim:
        text = f"<@{card.claim.by}> is reaching out, since {when(card.claim.at)}."
    else:
        text = "Nobody has said they will reach out yet."
    return text + _partnership_state(card)


def _partnership_state(card: EscalationCard) -> str:
    if card.partnership_status is PartnershipStatus.PAUSED:
        return " The partnership is paused."
    if card.partnership_status is PartnershipStatus.ENDED:
        return " The partnership has ended."
    return ""


def _notes(card: EscalationCard) -> list[Block]:
    if card.for_admins:
        withheld = "Notes the partners shared are for the cohort's facilitators, so they are not shown here."
        return [context_line(withheld)]
    if not card.notes and not card.notes_unavailable:
        return []
    heading = "*What they chose to share with you*"
    unavailable = _unavailable(card.notes_unavailable)
    room = SECTION - len(heading) - len(unavailable) - 1
    share = room // max(len(card.notes), 1) - 1  # each note gets its part of the section, escaped
    lines = [heading]
    for note in card.notes:
        quoted = mrkdwn(note.text).replace("\n", "\n>")
        lines.append(clip_mrkdwn(f"{person(note.author)}, {_day(note.at.date())}:\n>{quoted}", share))
    if unavailable:
        lines.append(unavailable)
    text = "\n".join(lines)
    return [SectionBlock(block_id=ids.ESCALATION_NOTES_BLOCK, text=MarkdownTextObject(text=text))]


def _unavailable(count: int) -> str:
    """Placeholder for shared notes that did not open: the facilitator knows something is missing."""
    if count <= 0:
        return ""
    notes = "1 shared note" if count == 1 else f"{count} shared notes"
    return f"_Unavailable: {notes} could not be opened with the current notes key._"


def _actions(card: EscalationCard) -> ActionsBlock:
    value = str(card.escalation_id)
    partnership = card.partnership_status
    elements: list[Any] = []
    if not card.claim:
        elements.append(
            ButtonElement(text="I'll reach out", action_id=ids.ESCALATION_CLAIM, value=value, style="primary")
        )
    elements.append(
        StaticSelectElement(
            action_id=ids.ESCALATION_SNOOZE,
            placeholder="Snooze…",
            options=[Option(text=counted(d, "day"), value=f"{value}:{d}") for d in SNOOZE_DAYS],
        )
    )
    elements.append(ButtonElement(text="Resolve…", action_id=ids.ESCALATION_RESOLVE_OPEN, value=value))
    if partnership is PartnershipStatus.ACTIVE:
        elements.append(
            confirmed_button(
                "Pause partnership", ids.ESCALATION_PAUSE, value, "Pause the partnership?", PAUSE_WORDS
            )
        )
    elements.append(
        confirmed_button(
            "Suggest re-match", ids.ESCALATION_REMATCH, value, "End it and re-match?", REMATCH_WORDS
        )
    )
    if partnership is not PartnershipStatus.ENDED:
        elements.append(
            confirmed_button(
                "End partnership", ids.ESCALATION_END, value, "End the partnership?", END_WORDS, "danger"
            )
        )
    return ActionsBlock(block_id=f"{ids.ESCALATION_BLOCK}:{value}", elements=elements)


PAUSE_WORDS = "Check-ins and pair prompts stop. Both partners are told it is paused, not by whom or why."
REMATCH_WORDS = (
    "The partnership ends and you get a re-match preview for each partner. They are told only that it ended."
)
END_WORDS = "Both partners are told only that it ended, with no blame. This resolves the alert."


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _who(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "a facilitator"
