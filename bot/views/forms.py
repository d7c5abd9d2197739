"""The modal every form of the app is shown in: it submits to its callback_id, or is closed."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


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
