"""A partnership as it stood at an earlier instant, in SQL: for a report or an export "as of" then."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, literal, null, type_coerce
from sqlalchemy.orm import InstrumentedAttribute

from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Partnership


def ended_as_of(until: datetime) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """A partnership's status, end reason and end as they stood at `until`: one that ended after it was
    still running then (whether paused then is not kept, so it reads as active), with no end yet."""
    later = Partnership.ended_at > until
    running = literal(PartnershipStatus.ACTIVE, Partnership.status.type)

    def not_yet(column: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
        return type_coerce(case((later, null()), else_=column), column.type)

    return (
        case((later, running), else_=Partnership.status),
        not_yet(Partnership.end_reason),
        not_yet(Partnership.ended_at),
    )
