"""What a rota that replaces the stored one takes away (pure).

A replacing file is the whole rota of a cohort's members from its earliest start to its latest end. A block an
import for that cohort stored for one of them, within those days and not in the file (the same person, start
and kind), is taken away: it goes when it has not started, and ends now when it runs (the person is back now).
A block over already stays: it is history, and health counted it. A person's own blocks, and blocks imported
for another cohort (that cohort's rota to replace), are never the file's to take away.
Since a row that cannot be used might be a member's block, a file with one is not replaced at all (a row of
someone outside the cohort, in a rota shared by several, is no member's and holds nothing back).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from circles.domain.availability import AbsenceKind
from circles.domain.rotations.checks import RowProblem
from circles.domain.rotations.rows import Block


@dataclass(frozen=True)
class Held:
    """A block an import for the cohort stored: whose, from when until the instant they are back, its kind."""

    user_id: str
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind


@dataclass(frozen=True)
class Removal:
    """A stored block the file takes away: it goes, or when `running`, it ends now."""

    user_id: str
    starts_at: datetime
    ends_at: datetime  # as it was stored
    kind: AbsenceKind
    running: bool


def rota_span(blocks: Sequence[Block]) -> tuple[datetime, datetime] | None:
    """The days a file covers: from its earliest start until its latest end (None: no blocks)."""
    if not blocks:
        return None
    return min(b.starts_at for b in blocks), max(b.ends_at for b in blocks)


def replaced(
    blocks: Sequence[Block], held: Iterable[Held], members: Collection[str], now: datetime
) -> list[Removal]:
    """The blocks `held` that imports for this cohort stored (never another cohort's) of its `members` that
    the file's `blocks` take away at `now`, by person and start."""
    span = rota_span(blocks)
    if span is None:
        return []
    first, last = span
    in_file = {(b.user_id, b.starts_at, b.kind) for b in blocks}
    gone = [
        Removal(h.user_id, h.starts_at, h.ends_at, h.kind, running=h.starts_at <= now)
        for h in held
        if h.user_id in members
        and (h.user_id, h.starts_at, h.kind) not in in_file
        and h.starts_at < last
        and h.ends_at > first
        and h.ends_at > now
    ]
    return sorted(gone, key=lambda r: (r.user_id, r.starts_at, r.kind))


def holding_back(problems: Sequence[RowProblem]) -> list[RowProblem]:
    """The rows not understood that keep a file from replacing the rota: all but those of people outside the
    cohort (a mistyped date or email could be a member's block, which would then be taken away)."""
    return [problem for problem in problems if not problem.outside]
