"""The `direct_answer` template: the answer to a message someone typed in the app's DM."""

from __future__ import annotations

from typing import Any

from bot.messages import template
from bot.views.direct_answer import direct_answer_message
from bot.views.message import Message


@template("direct_answer")
def direct_answer(args: dict[str, Any]) -> Message:
    """Args: cohorts ([{slug, name, resources}] of the person's cohorts), resources (the default wording)."""
    return direct_answer_message(args)
