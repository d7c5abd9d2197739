"""What puts a pair on hold, as the queries about pairs read it: both partners' away blocks and own pauses,
the pair's own pauses, and the cohort's check-in intervals and first week (circles.domain.health: away,
paused, unasked).
The same columns and joins in every statement that needs them, and the spans they turn into."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Exists, Select, and_, select
from sqlalchemy.orm import InstrumentedAttribute

from circles.domain.availability.absence import BLOCKS
from circles.domain.health.away import Spans
from circles.domain.health.intervals import intervals_from_json
from circles.domain.health.paused import paused_spans
from circles.domain.health.unasked import first_week_begins
from circles.domain.vocabulary import MemberStatus, PartnershipStatus
from circles.persistence.models import AwayBlock, Cohort, Partnership

AnySelect = Select[*tuple[Any, ...]]  # a select of any columns
PAIR_PAUSES = (Partnership.status, Partnership.pauses)  # the columns `pair_pauses_of` reads, in order


def with_partners(query: AnySelect, first: Any, second: Any) -> AnySelect:
    """A query of partnerships joined to their cohort and both partners (`first` and `second`: the Member
    entity or aliases of it), its columns followed by the cohort's check-in weeks (`checkin_interval`),
    each partner's `pause_columns`, first then second, and the pair's own (`PAIR_PAUSES`)."""
    return (
        query.add_columns(
            Cohort.checkin_every_weeks, *pause_columns(first), *pause_columns(second), *PAIR_PAUSES
        )
        .join(Cohort, Cohort.id == Partnership.cohort_id)
        .join(first, first.id == Partnership.first_member_id)
        .join(second, second.id == Partnership.second_member_id)
    )


def checkin_interval(weeks: int | None) -> timedelta | None:
    """A cohort's check-in interval from its weeks; None when it has none (no time counts as unasked)."""
    return timedelta(weeks=weeks) if weeks and weeks > 0 else None


# What says, besides today's interval, when a cohort's check-ins could be asked: what `rhythm_of` reads.
RHYTHM = (Cohort.earlier_checkin_intervals, Cohort.starts_on, Cohort.prompt_weekday, Cohort.timezone)


def rhythm_of(weeks: int | None, earlier: Any, starts_on: Any, weekday: int, timezone: str) -> dict[str, Any]:
    """A cohort's check-in intervals, today's and earlier ones, and when its first week begins, as
    `circles.domain.health.Pair` takes them, from its check-in weeks and the values of `RHYTHM`."""
    return {
        "checkin_every": checkin_interval(weeks),
        "earlier_every": intervals_from_json(earlier) if earlier else (),
        "cohort_starts_at": first_week_begins(starts_on, weekday, timezone),
    }


def holding_blocks(block: Any, member: Any) -> ColumnElement[bool]:
    """Joins a member (the Member entity or an alias) to their away blocks that hold a pair: a kind of
    absence, and not empty."""
    return and_(
        block.workspace_id == member.workspace_id,
        block.slack_user_id == member.slack_user_id,
        block.kind.in_(sorted(BLOCKS)),
        block.starts_at < block.ends_at,
    )


def away_now(member: Any, now: datetime) -> Exists:
    """Whether a member (the Member entity or an alias) is away at `now`: one of their holding blocks has
    begun and not yet ended. A correlated EXISTS, for a column of a statement about pairs."""
    return (
        select(AwayBlock.id)
        .where(holding_blocks(AwayBlock, member), AwayBlock.starts_at <= now, AwayBlock.ends_at > now)
        .exists()
    )


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


def pair_pauses_of(columns: Sequence[Any], now: datetime) -> Spans:
    """The time the pair itself was paused (its partners' time on hold, both of them), from the values of
    `PAIR_PAUSES`; none when it never was. A running pause has no date: it is held until looked at again."""
    status, stored = columns
    if stored is None:
        return ()
    return paused_spans(stored, status == PartnershipStatus.PAUSED, None, now)
