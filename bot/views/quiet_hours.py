"""The quiet hours tick boxes (evenings, nights, weekends) and their words, for settings forms."""

from __future__ import annotations

from slack_sdk.models.blocks import CheckboxesElement, InputBlock, Option

from circles.domain.availability import QuietHours
from circles.domain.availability.quiet import NAMES

QUIET_WORDS = {
    "evenings": "Evenings (18:00–22:00)",
    "nights": "Nights (22:00–07:00)",
    "weekends": "Weekends",
}


def quiet_hours_input(block_id: str, label: str, current: QuietHours, action_id: str) -> InputBlock:
    """Tick boxes for evenings, nights and weekends; none ticked means no quiet hours."""
    options = [Option(value=name, label=QUIET_WORDS[name]) for name in NAMES]
    chosen = [option for option in options if getattr(current, str(option.value))]
    return InputBlock(
        block_id=block_id,
        label=label,
        hint="No personal messages then, in each person's own time zone; alerts to facilitators still come.",
        optional=True,
        element=CheckboxesElement(action_id=action_id, options=options, initial_options=chosen or None),
    )
