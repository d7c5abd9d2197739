"""What both availability forms share: a date problem shown only when it holds on either side of today,
and a line of small print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject


def either_side(problem: Callable[[date], str | None], today: date) -> str | None:
    """A problem on the form only when it holds for the day before and the day after `today` (the
    server's date): the person's own date may be either, and the service checks it exactly."""
    before, after = problem(today - timedelta(days=1)), problem(today + timedelta(days=1))
    return before if before and after else None


def small(text: str) -> ContextBlock:
    """A line of small print below the fields."""
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
