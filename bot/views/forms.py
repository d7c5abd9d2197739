"""The modal every form of the app is shown in: it submits to its callback_id, or is closed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, Option, StaticSelectElement
from slack_sdk.models.views import View

from bot.views.text import slack_length

PLAIN_INPUT_MAX = 3000  # the most a plain-text input takes


def form_modal(
    callback_id: str,
    title: str,
    submit: str,
    blocks: Sequence[Block],
    *,
    close: str = "Cancel",
    private_metadata: str | None = None,
) -> View:
    """A form; its title fits Slack's 24 characters, private_metadata comes back when it is submitted."""
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=private_metadata,
        title=title,
        submit=submit,
        close=close,
        blocks=list(blocks),
    )


def pick_one(
    block_id: str,
    action_id: str,
    label: str,
    options: Sequence[Option],
    *,
    placeholder: str | None = None,
    initial: Option | None = None,
    hint: str | None = None,
    optional: bool | None = None,
) -> InputBlock:
    """A form input that picks one of `options` from a menu."""
    menu = StaticSelectElement(
        action_id=action_id, placeholder=placeholder, options=list(options), initial_option=initial
    )
    return InputBlock(block_id=block_id, label=label, hint=hint, optional=optional, element=menu)


def metadata_object(metadata: object) -> dict[str, Any] | None:
    """A form's private_metadata read back as a JSON object; None for anything this app did not write."""
    try:
        data = json.loads(metadata) if isinstance(metadata, str) else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def room_for(current: str | None, limit: int) -> int:
    """The max_length of a text input that opens with `current`: Slack refuses a form whose value is longer
    than its maximum, and counts an emoji twice, so an older or longer value (pointed out when the form is
    saved) still opens; never past what an input takes."""
    return min(max(limit, slack_length(current or "")), PLAIN_INPUT_MAX)
