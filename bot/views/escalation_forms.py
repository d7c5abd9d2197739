"""The form that resolves an escalation, and what the facilitator who acted is told."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    Option,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.care import note_for_facilitators
from bot.views.escalation import OUTCOMES
from bot.views.form_values import selected, typed
from bot.views.forms import form_modal, pick_one
from bot.views.message import Message, text_section
from bot.views.text import counted
from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.domain.escalations import COMMENT_LIMIT

OUT_OF_DATE = "That alert is out of date, so nothing was changed."
RESOLVE_FAILED = "I couldn't resolve that alert: "


def resolve_modal(escalation_id: int, hint: str = DEFAULT_FREE_TEXT_HINT) -> View:
    """Pick how it ended; anything written is for the cohort's facilitators only."""
    return form_modal(
        ids.ESCALATION_RESOLVE_VIEW,
        "Resolve",
        "Resolve",
        [
            text_section(
                "Closing the alert takes it off every facilitator's list. The partners are not told."
            ),
            pick_one(
                ids.ESCALATION_OUTCOME,
                ids.ESCALATION_INPUT,
                "How did it end?",
                [Option(text=words.capitalize(), value=key) for key, words in OUTCOMES.items()],
                placeholder="Choose one",
            ),
            note_for_facilitators(
                ids.ESCALATION_COMMENT,
                ids.ESCALATION_INPUT,
                "Anything the other facilitators should know? (only they see this)",
                hint,
                COMMENT_LIMIT,
            ),
        ],
        private_metadata=str(escalation_id),
    )


def resolve_answer(values: Any) -> tuple[str, str]:
    """The chosen outcome and the comment as submitted (checked by the caller); odd shapes read as empty."""
    return selected(values, ids.ESCALATION_OUTCOME) or "", typed(values, ids.ESCALATION_COMMENT) or ""


def claimed_text(first: str, second: str) -> str:
    return (
        f"Thank you. The other facilitators can see you are reaching out to <@{first}> and <@{second}>. "
        "Resolve the alert once you have talked."
    )


def snoozed_text(days: int) -> str:
    return f"Snoozed for {counted(days, 'day')}. It comes back to the facilitators then."


def paused_text(first: str, second: str) -> str:
    return f"The partnership of <@{first}> and <@{second}> is paused. Both are told it is paused, not why."


def ended_text(first: str, second: str) -> str:
    return (
        f"The partnership of <@{first}> and <@{second}> has ended and the alert is resolved. "
        "Both are told only that it ended."
    )


def replaced_preview(preview: Message, slug: str, user_id: str, position: int) -> Message:
    """A re-match preview that the next one replaced: shown for reading, with a button to preview it anew.

    A cohort keeps one preview to confirm at a time, so of the two partners' previews only the last
    can be confirmed; this one's own button makes it the live one.
    """
    kept = [block for block in preview.blocks if not isinstance(block, ActionsBlock)]
    again = ButtonElement(
        text="Preview again for this partner to confirm",
        action_id=f"{ids.REMATCH_OFFER}:{position}",
        value=f"{slug}:{user_id}",
    )
    return Message(
        text=preview.text, blocks=[*kept, ActionsBlock(block_id=ids.REMATCH_OFFER_BLOCK, elements=[again])]
    )
