"""Read what planning needs of the cohorts due, in a fixed handful of queries whatever their number."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from circles.domain.blackouts import parse_blackouts
from circles.domain.planning import CohortIn, PromptText, zone_for
from circles.domain.schedule import Cadence
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.planning import active_pairs, latest_circles
from prompts.tracks import PromptTrackError, Track, track

logger = logging.getLogger(__name__)


def load_cohorts(
    session: Session, cohorts: Sequence[Cohort], since: datetime
) -> tuple[list[CohortIn], list[str]]:
    """What planning needs of these cohorts (with their members' away blocks not over by `since`), and the
    names of tracks that would not load."""
    ids = [cohort.id for cohort in cohorts]
    circles, awaiting = latest_circles(session, ids, since) if ids else ({}, {})
    pairs = active_pairs(session, ids, since) if ids else {}
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
                circles=circles.get(cohort.id, []),
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
    )


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
