"""The cohorts a report names, looked up together: each once whatever its case, unknown ones refused."""

from __future__ import annotations

from collections.abc import Sequence

from circles.domain.cohort_rules import closest_slugs, slug_problem, typed_slug
from circles.errors import CohortNotFound, NotAFacilitator
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries import cohorts
from circles.services.intake.workspaces import find_workspace


def named_cohorts(session: Session, team_id: str, slugs: Sequence[str]) -> list[Cohort]:
    """The workspace's cohorts these slugs name, each once (in any case), in the order first named.

    CohortNotFound for the first slug no cohort has, with the closest ones. A fixed number of queries.
    """
    wanted = list(dict.fromkeys(typed_slug(slug) for slug in slugs))
    workspace = find_workspace(session, team_id)
    # A slug no cohort could have (text someone made up) is not looked up at all.
    usable = [slug for slug in wanted if slug_problem(slug) is None]
    found = cohorts.live_cohorts(session, workspace.id, usable) if workspace and usable else {}
    for slug in wanted:
        if slug not in found:
            existing = cohorts.live_slugs(session, workspace.id) if workspace else []
            raise CohortNotFound(slug, closest_slugs(slug, existing))
    return [found[slug] for slug in wanted]


def require_facilitator(session: Session, named: Sequence[Cohort], user_id: str) -> None:
    """Refuse (NotAFacilitator, naming the first cohort not theirs) unless this person runs every one."""
    running = cohorts.facilitators_by_cohort(session, [cohort.id for cohort in named])
    for cohort in named:
        if user_id not in running.get(cohort.id, []):
            raise NotAFacilitator(cohort.slug)
