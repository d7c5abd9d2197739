"""A partner's own pauses as the queries about their pairs read them: the same three columns in every
statement that needs them, turned into the spans their pairs are on hold (circles.domain.health.paused)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

from circles.domain.health.away import Spans
from circles.domain.health.paused import paused_spans
from circles.domain.vocabulary import MemberStatus


def pause_columns(member: Any) -> tuple[InstrumentedAttribute[Any], ...]:
    """The columns of a membership (the Member entity or an alias of it) that `pauses_of` reads, in order."""
    return (member.status, member.paused_until, member.pauses)


def pauses_of(columns: Sequence[Any], now: datetime) -> Spans:
    """The time a partner was paused, from the values of `pause_columns`; none when they never paused."""
    status, until, stored = columns
    if stored is None:
        return ()
    if until is not None and until.tzinfo is None:  # SQLite's instants, read through the connection
        until = until.replace(tzinfo=UTC)
    return paused_spans(stored, status == MemberStatus.PAUSED, until, now)
