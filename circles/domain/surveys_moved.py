"""What becomes of a survey request when its cohort's dates (or time zone, or prompt time) move (pure).

A request not yet sent follows its phase: it is re-timed to the phase's new day, or withdrawn when the
phase no longer applies to its member. A request already sent (or answered) stands for its phase while
the phase's new day falls within the time it was open for answers: dates moved a little, or moved earlier,
ask nothing twice. Only when the new day falls after that time (a programme extended by months, whose
"end" answers were given half-way through it) is the phase asked again on its new day; the earlier
request is then superseded: kept with its answers, but no longer counted as the phase's answer. It is
superseded only once it no longer takes answers, so one member never holds two open requests of a phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from circles.domain.surveys import closes_at, is_closed


class Move(Enum):
    KEEP = "keep"  # the request stands as it is
    RETIME = "retime"  # not yet sent: it goes on the phase's new day instead
    WITHDRAW = "withdraw"  # not yet sent, and the phase no longer applies to its member
    ASK_AGAIN = "ask_again"  # sent, and the phase's new day falls after it closed: a new request


@dataclass(frozen=True)
class Standing:
    """A member's current request for one instrument at one phase."""

    due_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None


def after_move(standing: Standing, new_due: datetime | None, now: datetime) -> Move:
    """What to do with a request whose phase is now due at `new_due` for its member (None: not at all)."""
    if standing.sent_at is None and standing.answered_at is None:
        if new_due is None:
            return Move.WITHDRAW
        return Move.KEEP if new_due == standing.due_at else Move.RETIME
    if new_due is None or new_due <= closes_at(standing.due_at, standing.sent_at):
        return Move.KEEP  # asked within the phase's (new) time, or the phase moved earlier: once is enough
    if not is_closed(standing.due_at, now, standing.sent_at):
        return Move.KEEP  # still taking answers: asked again once it closes
    return Move.ASK_AGAIN
