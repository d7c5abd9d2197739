"""How a word the person typed is shown back to them in an error."""

from __future__ import annotations

from bot.views.text import quote_typed


def typed(word: str) -> str:
    """A slug or word as the person may have typed it: short, escaped, unable to break out of code."""
    return quote_typed(word, 60)
