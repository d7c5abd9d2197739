"""When a person can be reached (pure): working patterns, quiet hours, away blocks, Slack's own signals.

A person's *window* is when personal messages may reach them: inside their working pattern (every hour
of every day when they set none), outside their quiet hours (the cohort's defaults unless they chose
their own; the defaults give way inside a shift they would cover whole, see `cover`), and not during
an absence (an away block, Do Not Disturb, an out-of-office status).
`next_window` finds when the next one opens; `absent_during` measures time away, which never counts
against a partnership's health.
"""

from circles.domain.availability.absence import Absence, AbsenceKind, absence_at, absent_during, away_until
from circles.domain.availability.patterns import (
    InvalidPattern,
    RotaEntry,
    Shift,
    WorkPattern,
    parse_shift,
)
from circles.domain.availability.quiet import QuietHours, parse_quiet_hours
from circles.domain.availability.reach import Reach, next_window, reachable

__all__ = [
    "Absence",
    "AbsenceKind",
    "InvalidPattern",
    "QuietHours",
    "Reach",
    "RotaEntry",
    "Shift",
    "WorkPattern",
    "absence_at",
    "absent_during",
    "away_until",
    "next_window",
    "parse_quiet_hours",
    "parse_shift",
    "reachable",
]
