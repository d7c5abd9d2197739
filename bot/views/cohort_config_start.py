"""The start a cohort whose rhythm has begun keeps, as its settings form carries it in private_metadata: the
form's own check (in the ack, without the database) refuses a start moved on the field itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from circles.domain.cohort_rules.start import StartKept

START = "start:"  # private_metadata's word for it, after the slug and the digest


def kept_start(private_metadata: str) -> StartKept | None:
    """The start the form's cohort keeps, its rhythm begun when the form was opened; None: it had not (or
    the form says nothing readable of it). The save asks the database again."""
    word = next((w for w in private_metadata.split()[1:] if w.startswith(START)), "")
    stored, _, made_on = word.removeprefix(START).partition(":")
    try:
        return StartKept(date.fromisoformat(stored) if stored else None, date.fromisoformat(made_on))
    except ValueError:
        return None


def form_kept_start(body: dict[str, Any]) -> StartKept | None:
    """`kept_start` of a submitted settings form."""
    view = body.get("view")
    metadata = view.get("private_metadata") if isinstance(view, dict) else None
    return kept_start(metadata if isinstance(metadata, str) else "")


def start_word(kept: StartKept | None) -> str:
    """The word `kept_start` reads back; empty for a cohort whose start may still move."""
    if kept is None:
        return ""
    return f"{START}{kept.stored.isoformat() if kept.stored else ''}:{kept.made_on.isoformat()}"
