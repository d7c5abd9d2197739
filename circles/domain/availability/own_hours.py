"""A person's own working hours and quiet hours, as they choose them on Home."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from circles.domain.availability.cover import covers, each_enough, touching
from circles.domain.availability.patterns import RotaEntry, Shift, WorkPattern
from circles.domain.availability.quiet import QuietHours

MAX_ROTA = 8  # entries kept at once: a rota is for the weeks ahead, not a calendar
ROTA_LONGEST = timedelta(weeks=8)
ROTA_AHEAD = timedelta(days=365)


@dataclass(frozen=True)
class HoursChoice:
    """Usual hours (None: any hour), one rota entry to add (None: none), own quiet hours (None: the
    cohorts')."""

    shift: Shift | None = None
    rota: RotaEntry | None = None
    quiet: QuietHours | None = None


def rota_problem(entry: RotaEntry, today: date) -> str | None:
    """What is wrong with a rota entry for someone whose date is `today`, or None."""
    if entry.ends_on < entry.starts_on:
        return "The last day comes before the first."
    if entry.ends_on < today:
        return "Those dates are over already."
    if entry.starts_on > today + ROTA_AHEAD:
        return "Choose dates within a year from today."
    if entry.ends_on - entry.starts_on >= ROTA_LONGEST:
        return f"Keep it to {ROTA_LONGEST.days // 7} weeks; change your usual hours for longer."
    return None


def quiet_problem(
    quiet: QuietHours, shift: Shift, *, usual: bool = True, kept: RotaEntry | None = None
) -> str | None:
    """What is wrong with one's own quiet hours over a shift (usual, a rota entry's, or that of the entry
    `kept` from before, named by its dates), or None: when they cover all of it, nothing could ever reach
    the person then."""
    if not covers(quiet, shift):
        return None
    if alone := each_enough(quiet, shift):
        names = " or ".join(alone)
    else:
        names = " and ".join(touching(quiet, shift))
    if kept is not None:
        dates = f"{kept.starts_on.isoformat()} to {kept.ends_on.isoformat()}"
        hours, never = f"your hours from {dates}", "no message could reach you on those dates"
    elif usual:
        hours, never = "your working hours", "no message could ever reach you"
    else:
        hours, never = "these hours", "no message could reach you on those dates"
    return (
        f"Your quiet hours ({quiet.describe()}) cover all of {hours} ({shift.describe()}), so {never}. "
        f"Untick {names}, or tick your cohort's quiet hours: they give way to working hours they cover."
    )


def hours_problem(choice: HoursChoice, kept: Sequence[RotaEntry] = ()) -> str | None:
    """What is wrong with one's own quiet hours over the usual hours, the rota entry chosen, or an entry
    `kept` with them (those of chosen_pattern), or None: each is a time nothing could reach them."""
    if choice.quiet is None:
        return None
    if choice.shift is not None and (problem := quiet_problem(choice.quiet, choice.shift)):
        return problem
    new = choice.rota.shift if choice.rota is not None else None
    if new is not None and (problem := quiet_problem(choice.quiet, new, usual=False)):
        return problem
    return kept_problem(choice.quiet, kept)


def kept_problem(quiet: QuietHours, kept: Sequence[RotaEntry]) -> str | None:
    """What is wrong with one's own quiet hours over the first rota entry kept whose hours they cover."""
    for entry in kept:
        if entry.shift is not None and (problem := quiet_problem(quiet, entry.shift, kept=entry)):
            return problem
    return None


def chosen_pattern(old: WorkPattern | None, choice: HoursChoice, today: date) -> WorkPattern | None:
    """The pattern to keep: the new usual hours with the rota entries not over yet, the new entry
    replacing those it overlaps, the latest MAX_ROTA of them; None when no usual hours are given."""
    if choice.shift is None:
        return None
    rota = [e for e in (old.rota if old else ()) if e.ends_on >= today]
    if choice.rota is not None:
        new = choice.rota
        rota = [e for e in rota if e.ends_on < new.starts_on or e.starts_on > new.ends_on] + [new]
    rota.sort(key=lambda e: e.starts_on)
    return WorkPattern(choice.shift, tuple(rota[-MAX_ROTA:]))
