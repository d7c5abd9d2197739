"""Read what planning needs of the cohorts due, in a fixed handful of queries whatever their number."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from circles.domain.blackouts import parse_blackouts
from circles.domain.circle_size import meets
from circles.domain.health.intervals import intervals_from_json
from circles.domain.plan_due import blocks_read, circle_blocks_read
from circles.domain.planning import CohortIn, PromptText, zone_for
from circles.domain.schedule import Cadence, Window
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.planning import active_pairs, latest_circles
from prompts.tracks import PromptTrackError, Track, track

logger = logging.getLogger(__name__)


def load_cohorts(
    session: Session, cohorts: Sequence[Cohort], window: Window
) -> tuple[list[CohortIn], list[str]]:
    """What planning needs of these cohorts for the window (with the away blocks it can depend on), and
    the names of tracks that would not load."""
    bounds = {
        c.id: blocks_read(parse_blackouts(c.blackout_dates), c.checkin_every_weeks, window) for c in cohorts
    }
    if not bounds:
        return [], []
    reads = ({c: since for c, (since, _) in bounds.items()}, max(until for _, until in bounds.values()))
    circles, awaiting = latest_circles(session, reads)
    # A circle someone comes back to from long away: read again further back (one statement, rarely).
    further = {
        c: s
        for c, since in reads[0].items()
        if (s := circle_blocks_read(circles.get(c, []), since, window)) < since
    }
    if further:
        circles |= latest_circles(session, (further, reads[1]))[0]
    pairs = active_pairs(session, reads)
    broken: list[str] = []
    result = []
    for cohort in cohorts:
        chosen = _track(cohort.prompt_track, broken)
        result.append(
            CohortIn(
                workspace_id=cohort.workspace_id,
                name=cohort.name,
                cadence=cadence_of(cohort),
                circle_prompts=_prompts(chosen, "circle"),
                pair_prompts=_prompts(chosen, "pair"),
                coach_prompts=_prompts(chosen, "coach"),
                circles=[c for c in circles.get(cohort.id, []) if meets(c)],  # one left is nobody's circle
                pairs=pairs.get(cohort.id, []),
                cohort_id=cohort.id,
                awaiting_since=awaiting.get(cohort.id),
                blackouts=parse_blackouts(cohort.blackout_dates),
            )
        )
    return result, sorted(set(broken))


def cadence_of(cohort: Cohort) -> Cadence:
    return Cadence(
        cohort.prompt_weekday,
        cohort.prompt_local_time,
        zone_for(None, cohort.timezone),
        cohort.checkin_every_weeks,
        cohort.starts_on,
        cohort.ends_on,
        anchor=cohort.created_at.date(),
        earlier_rhythms=tuple((every.days // 7, ended) for ended, every in _earlier(cohort)),
    )


def _earlier(cohort: Cohort) -> tuple[tuple[datetime, timedelta], ...]:
    """The check-in intervals the cohort had before its current one, each with when it ended."""
    stored = cohort.earlier_checkin_intervals
    return intervals_from_json(stored) if stored else ()


def _track(name: str, broken: list[str]) -> Track | None:
    try:
        return track(name)
    except PromptTrackError as error:
        # Check-ins go on without it; the prompts resume once the file is back.
        logger.warning("prompt track %s cannot be used: %s", name, error)
        broken.append(name)
        return None


def _prompts(chosen: Track | None, audience: str) -> Sequence[PromptText]:
    return chosen.for_audience(audience) if chosen is not None else ()
