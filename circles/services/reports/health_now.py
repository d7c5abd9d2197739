"""This week's health as of now, worked out for a report and never stored: reading a report writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.persistence.db import Session
from circles.queries.reports import HealthFact
from circles.services.health.recompute import recompute


def changes_now(session: Session, cohort_ids: Sequence[int], now: datetime) -> dict[int, list[HealthFact]]:
    """By cohort: the history row a health pass at `now` would store for each active pair whose state or
    reasons moved since its latest stored one, as the health board works it out; nothing is written.

    A report counts these after the stored history, as it would count them had a tick just recorded them.
    """
    found: dict[int, list[HealthFact]] = {cohort_id: [] for cohort_id in cohort_ids}
    for row in recompute(session, now, cohort_ids=list(found), record=False):
        if row.changed:
            reasons = tuple(reason.text for reason in row.reasons)
            found[row.cohort_id].append(HealthFact(row.partnership_id, now, row.state, reasons))
    return found
