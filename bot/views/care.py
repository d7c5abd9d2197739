"""Words of care on forms: the hint under free-text inputs, and the cohort settings that change them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock, InputBlock, PlainTextInputElement

from bot import ids
from bot.views.form_values import typed
from bot.views.forms import room_for
from circles.domain.care import (
    DEFAULT_FREE_TEXT_HINT,
    DEFAULT_WELLBEING_RESOURCES,
    FREE_TEXT_HINT_MAX,
    WELLBEING_RESOURCES_MAX,
)
from circles.domain.cohort_rules import CohortSettings

ACTION = "value"  # the cohort settings form's inputs all use this action_id


def with_hint(hint: str, said: str | None = None) -> str:
    """An input's hint: what it already says, then the reminder about patient information."""
    return f"{said} {hint}" if said else hint


def note_for_facilitators(block_id: str, action_id: str, label: str, hint: str, limit: int) -> InputBlock:
    """An optional free-text box whose words only facilitators read, with the care hint under it."""
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=with_hint(hint),
        optional=True,
        element=PlainTextInputElement(action_id=action_id, multiline=True, max_length=limit),
    )


def wording_blocks(settings: CohortSettings) -> list[Block]:
    """The cohort settings' own words: empty fields keep the product's default wording."""
    return [
        DividerBlock(),
        HeaderBlock(text="Words your members see"),
        _wording(
            ids.COHORT_FREE_TEXT_HINT,
            "Hint under every text box",
            settings.free_text_hint,
            DEFAULT_FREE_TEXT_HINT,
            FREE_TEXT_HINT_MAX,
            placeholder=DEFAULT_FREE_TEXT_HINT,
        ),
        _wording(
            ids.COHORT_WELLBEING_RESOURCES,
            "Wellbeing and crisis resources",
            settings.wellbeing_resources,
            DEFAULT_WELLBEING_RESOURCES,
            WELLBEING_RESOURCES_MAX,
            said="Shown to members who write to the app, with how to reach you.",
            multiline=True,
        ),
    ]


def _wording(
    block_id: str, label: str, current: str | None, default: str, limit: int, said: str = "", **shape: Any
) -> InputBlock:
    """A setting's own words: left empty, the default the hint names holds."""
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=with_hint(f"Left empty: “{default}”", said),
        optional=True,
        element=PlainTextInputElement(
            action_id=ACTION, initial_value=current, max_length=room_for(current, limit), **shape
        ),
    )


def submitted_wording(values: Any) -> dict[str, str | None]:
    """The two wordings as typed (the settings clean them); odd shapes read as empty."""
    return {
        "free_text_hint": typed(values, ids.COHORT_FREE_TEXT_HINT),
        "wellbeing_resources": typed(values, ids.COHORT_WELLBEING_RESOURCES),
    }
