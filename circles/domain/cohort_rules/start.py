"""A cohort's start date once it has begun (pure).

Its weeks count from its start date (from the day it was made when it has none): week N brings the Nth
circle prompt under the heading "Week N", check-ins come every few weeks from it, and pairs' prompts and
coaches' session ideas take their places from the same count. Moved later once prompts have gone, the count
starts again and circles and pairs get prompts they already had; moved earlier, prompts are skipped. So once
anything of its rhythm has gone (or is on its way) the start stays; a week to skip is a blackout date, which
keeps every track's place, and a programme that runs longer moves its end date. Before that it moves freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LATER = "To skip weeks, add blackout dates in its settings; to run longer, move its end date."


@dataclass(frozen=True)
class StartKept:
    """The start of a cohort that has begun: its stored date, or None, its weeks counted from `made_on`."""

    stored: date | None
    made_on: date

    def allows(self, starts_on: date | None) -> bool:
        """Whether its weeks would still count from the same day (an empty date counts from `made_on`)."""
        return (starts_on or self.made_on) == (self.stored or self.made_on)


def start_problem(kept: StartKept | None, starts_on: date | None) -> dict[str, str]:
    """The problem of a start date a cohort that has begun (`kept`; None: not begun) cannot take."""
    if kept is None or kept.allows(starts_on):
        return {}
    return {"starts_on": moved_start_words(kept.stored, kept.made_on)}


def moved_start_words(stored: date | None, made_on: date) -> str:
    """What a facilitator reads on the start date of a cohort that has begun, when they moved it."""
    if stored is not None:
        return (
            f"The cohort has begun: its start date stays {stored.isoformat()}, or its prompts would repeat "
            f"or be skipped. {LATER}"
        )
    return (
        f"The cohort has begun, its weeks counted from {made_on.isoformat()}, the day it was made: leave its "
        f"start date empty (or give it that day), or its prompts would repeat or be skipped. {LATER}"
    )


def start_hint(kept: StartKept | None) -> str | None:
    """The start date's hint on the settings form of a cohort that has begun (None: it has not)."""
    if kept is None:
        return None
    if kept.stored is None:
        return (
            f"The cohort has begun, its weeks counted from {kept.made_on.isoformat()}, the day it was made: "
            "leave this empty (or give it that day)."
        )
    return "The cohort has begun: its weeks and prompts count from this day, so it stays as it is."
