"""Health boards: a cohort's partnerships, riskiest first, as its facilitators (and admins) see them.

Worked out on reading (`recompute(..., record=False)`), never recorded: the watch records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from circles.domain.own_pairs import one_of_the_pair
from circles.domain.vocabulary import PartnershipHealthState
from circles.errors import NotAFacilitator
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries.cohorts import facilitated_cohorts, facilitator_ids
from circles.queries.partnerships.ever import partners_ever
from circles.queries.surveys import Rate, response_rates
from circles.services.cohorts.lookup import require_cohort
from circles.services.health.recompute import PartnershipHealth, recompute
from circles.services.intake.workspaces import find_workspace


@dataclass(frozen=True)
class Board:
    """A cohort's partnerships, riskiest first, for its facilitators."""

    slug: str
    cohort_name: str
    rows: list[PartnershipHealth] = field(default_factory=list)
    surveys: tuple[Rate, ...] = ()  # response rates by phase and instrument, never anyone's answers

    @property
    def counts(self) -> Counter[PartnershipHealthState]:
        return Counter(row.state for row in self.rows)


def board(
    uow: UnitOfWork, team_id: str, user_id: str, slug: str, now: datetime, *, is_admin: bool = False
) -> Board:
    """The cohort's partnerships, riskiest first, for its facilitators and workspace admins only."""
    with uow:
        cohort = require_cohort(uow.session, team_id, slug.lower())
        if not (is_admin or user_id in facilitator_ids(uow.session, cohort.id)):
            raise NotAFacilitator(cohort.slug)
        ever = partners_ever(uow.session, cohort.workspace_id, user_id)
        rows = _not_theirs(recompute(uow.session, now, cohort_id=cohort.id, record=False), user_id, ever)
        rates = tuple(response_rates(uow.session, cohort.workspace_id, cohort.id))
        return Board(cohort.slug, cohort.name, rows, rates)


def boards_run_by(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[Board]:
    """A board for each cohort this person facilitates (none for anyone else), for the home tab.

    One recompute for all of them: the same few queries for fifty cohorts as for one. Home shows a page of
    them at a time (circles.services.people.runs_page).
    """
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        return boards_of(uow.session, facilitated_cohorts(uow.session, workspace.id, user_id), user_id, now)


def boards_of(session: Session, cohorts: Sequence[Cohort], user_id: str, now: datetime) -> list[Board]:
    """A board for each of these cohorts, in their order, as this facilitator sees it: one recompute."""
    if not cohorts:
        return []
    rows: dict[int, list[PartnershipHealth]] = {cohort.id: [] for cohort in cohorts}
    ever = partners_ever(session, cohorts[0].workspace_id, user_id)
    for row in _not_theirs(recompute(session, now, cohort_ids=list(rows), record=False), user_id, ever):
        rows[row.cohort_id].append(row)  # riskiest first within each cohort, as recompute sorts them
    return [Board(cohort.slug, cohort.name, rows[cohort.id]) for cohort in cohorts]


def _not_theirs(rows: list[PartnershipHealth], user_id: str, ever: set[str]) -> list[PartnershipHealth]:
    """A facilitator who is also a partner, or was ever paired with one, never sees that pair's health."""
    pairs = [(row, (row.first_user_id, row.second_user_id)) for row in rows]
    return [row for row, partners in pairs if not one_of_the_pair(user_id, partners, ever)]
