"""What a cohort planned again from scratch already has: a setting changed (its weekday, its start), and a
cycle whose message went on the old day must not get it again on the new one (circles.domain.planning.cycles).

Read only for the cohorts planned from scratch (`planned_until` None: see `replan`), in one statement for all
of them: a pass with nothing due, or one planning on from where it stopped, reads nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from circles.domain.planning import CohortIn
from circles.domain.planning.cycles import Written, looked_back
from circles.domain.schedule import Window
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session
from circles.queries.outbox.planned import planned_rows


def written_before(
    session: Session,
    cohorts: Sequence[CohortIn],
    written_until: Mapping[int, datetime | None],
    window: Window,
) -> dict[int, list[Written]]:
    """By cohort planned from scratch, the regular rows it already has that can share a cycle with the
    window's occurrences."""
    scratch = [cohort for cohort in cohorts if written_until[cohort.cohort_id] is None]
    if not scratch:
        return {}
    since = looked_back([cohort.cadence for cohort in scratch], window.missed_from)
    found = planned_rows(session, [cohort.cohort_id for cohort in scratch], since)
    return {
        cohort_id: [Written(key, status is OutboxStatus.MISSED) for key, status in rows]
        for cohort_id, rows in found.items()
    }
