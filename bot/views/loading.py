"""The modal shown for the moment between a click and its content."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.views.message import context_line
from bot.views.text import fit_plain

TITLE_LIMIT = 24  # Slack's limit on a modal's title


def loading_modal(title: str) -> View:
    return View(
        type="modal",
        title=fit_plain(title, TITLE_LIMIT),
        close="Close",
        blocks=[context_line(":hourglass_flowing_sand: One moment…")],
    )
