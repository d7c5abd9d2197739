"""Find a workspace's cohort by its slug, for anyone or for its facilitators and admins only."""

from __future__ import annotations

from circles.domain.cohort_rules import closest_slugs, slug_problem
from circles.domain.cohort_rules.slugs import typed_slug
from circles.errors import CohortNotFound, NotAFacilitator
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries import cohorts
from circles.services.intake.workspaces import find_workspace


def require_cohort(session: Session, team_id: str, slug: str) -> Cohort:
    """The workspace's cohort with this slug (as typed: `ｐｇｙ１` is `pgy1`), or CohortNotFound naming the
    closest ones."""
    slug = typed_slug(slug)
    workspace = find_workspace(session, team_id)
    # A slug no cohort could have (a button value or text someone made up) is not looked up at all.
    cohort = (
        cohorts.live_cohort(session, workspace.id, slug) if workspace and slug_problem(slug) is None else None
    )
    if cohort is None:
        existing = cohorts.live_slugs(session, workspace.id) if workspace else []
        raise CohortNotFound(slug, closest_slugs(slug, existing))
    return cohort


def facilitated_cohort(session: Session, team_id: str, slug: str, user_id: str, is_admin: bool) -> Cohort:
    """The cohort with this slug, for its facilitators and workspace admins only (NotAFacilitator else)."""
    cohort = require_cohort(session, team_id, slug)
    if not (is_admin or cohorts.is_facilitator(session, cohort.id, user_id)):
        raise NotAFacilitator(cohort.slug)
    return cohort
