"""Quiet hours: evenings, nights and weekends a cohort (or a person) keeps free of messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

EVENING = (time(18), time(22))
NIGHT = (time(22), time(7))  # runs past midnight
WEEKEND = frozenset({5, 6})
NAMES = ("evenings", "nights", "weekends")


@dataclass(frozen=True)
class QuietHours:
    evenings: bool = False
    nights: bool = False
    weekends: bool = False

    def quiet_at(self, local: datetime) -> bool:
        """Whether a local date and time falls in these quiet hours."""
        now = local.time()
        if self.weekends and local.weekday() in WEEKEND:
            return True
        if self.evenings and EVENING[0] <= now < EVENING[1]:
            return True
        return self.nights and (now >= NIGHT[0] or now < NIGHT[1])

    def stored(self) -> str:
        """As a cohort or profile keeps them: e.g. "evenings,nights"; "" for none."""
        return ",".join(name for name in NAMES if getattr(self, name))

    def describe(self) -> str:
        chosen = [name for name in NAMES if getattr(self, name)]
        return ", ".join(chosen) if chosen else "none"


DEFAULT_QUIET_HOURS = QuietHours(nights=True)


def parse_quiet_hours(text: str | None, default: QuietHours = DEFAULT_QUIET_HOURS) -> QuietHours:
    """Stored or typed quiet hours ("nights,weekends", "none"); None means the default. Unknown words are
    left out, so an old or odd value never stops a message for good."""
    if text is None:
        return default
    words = {w.strip().lower() for w in text.replace(" ", ",").split(",") if w.strip()}
    return QuietHours(**{name: name in words for name in NAMES})
