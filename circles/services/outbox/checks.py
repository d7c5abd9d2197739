"""What a claim asks of each row it locked before it goes, and what the sender asks again as the row's turn
comes: each check settles the rows that fail it (superseded, or held back) in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.services.outbox.alerts import drop_unheard
from circles.services.outbox.caught_up import drop_caught_up
from circles.services.outbox.checkins import drop_closed
from circles.services.outbox.deferral import hold_back
from circles.services.outbox.stale import drop_stale
from circles.services.outbox.starters import drop_resting
from circles.services.outbox.surveys import drop_unwanted

Check = Callable[[Session, Sequence[OutboxMessage], datetime], set[int]]


def _unheard(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    return drop_unheard(session, rows)


def _stale_claimed(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    return drop_stale(session, rows, now, claimed=True)


# Whether what a row says is still true, before its window is decided (hold_back) and after.
BEFORE_WINDOW: tuple[Check, ...] = (drop_closed, _unheard, drop_resting, drop_stale)
AFTER_WINDOW: tuple[Check, ...] = (drop_caught_up, drop_unwanted)
# The same, asked again of rows this sender claimed, as their turn comes: the window was decided at the claim.
AGAIN: tuple[Check, ...] = (drop_closed, _unheard, drop_resting, _stale_claimed, *AFTER_WINDOW)


def not_now(
    session: Session, rows: Sequence[OutboxMessage], now: datetime, *, again: bool = False
) -> set[int]:
    """Of these locked rows, settle those that should not go now: no longer true (superseded), or not to
    send before their person's next window (held back); their ids. `again`: rows this sender claimed, looked
    at again as their turn comes (their window is not decided again). Each check runs only on the rows the
    ones before it let through, and asks the database only when they hold its kind."""
    checks = AGAIN if again else (*BEFORE_WINDOW, hold_back, *AFTER_WINDOW)
    settled: set[int] = set()
    for check in checks:
        settled |= check(session, [row for row in rows if row.id not in settled], now)
    return settled
