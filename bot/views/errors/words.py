"""The words of an error message: fixed or made from the error, and how a word the person typed is shown
back to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.views.text import mrkdwn, quote_typed

# What a person is told for an error: the same words every time, or words made from the error.
Words = str | Callable[[Any], str]


def typed(word: str) -> str:
    """A slug or word as the person may have typed it: short, escaped, unable to break out of code."""
    return quote_typed(word, 60)


def problems_after(lead: str) -> Callable[[Any], str]:
    """Follow the lead with what is wrong with each field the error names."""
    return lambda error: f"{lead}: " + "; ".join(mrkdwn(v) for v in error.problems.values())
