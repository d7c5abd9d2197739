"""A partnership as it stood at an earlier instant, in SQL: for a report or an export "as of" then."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, literal, null, type_coerce
from sqlalchemy.orm import InstrumentedAttribute

from circles.domain.health.paused import paused_at
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Partnership
from circles.queries.reports.facts import PartnershipFact

# What `paused_then` reads of a pair besides its fact, in order: as it is now, and its pauses as kept.
PAIR_PAUSES = (Partnership.status, Partnership.ended_at, Partnership.pauses)


def ended_as_of(until: datetime) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """A partnership's status, end reason and end as they stood at `until`: one that ended after it was
    still running then (active here; `paused_then` tells whether it was paused), with no end yet."""
    later = Partnership.ended_at > until
    running = literal(PartnershipStatus.ACTIVE, Partnership.status.type)

    def not_yet(column: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
        return type_coerce(case((later, null()), else_=column), column.type)

    return (
        case((later, running), else_=Partnership.status),
        not_yet(Partnership.end_reason),
        not_yet(Partnership.ended_at),
    )


def paused_then(pair: PartnershipFact, now: Sequence[Any], until: datetime) -> PartnershipFact:
    """A pair running at `until` (as `ended_as_of` has it), paused or active then as its kept pauses tell,
    from `now`, the values of `PAIR_PAUSES`: a pause still open ends at the pair's end, or runs on while it
    is paused now. Without pauses kept, its status now stands."""
    status, ended_at, pauses = now
    if pair.status is PartnershipStatus.ENDED:
        return pair
    running = status is PartnershipStatus.PAUSED
    held = paused_at(pauses, until, running=running, ends=[] if ended_at is None else [ended_at])
    if held is None:
        return pair
    return pair._replace(status=PartnershipStatus.PAUSED if held else PartnershipStatus.ACTIVE)
