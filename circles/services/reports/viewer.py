"""Who looks at a report and how: the pairs a viewer is one of are left out of it, and a report keeps to
one workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from circles.domain.own_pairs import one_of_the_pair
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.members import memberships_of_people
from circles.queries.partnerships.ever import partners_ever
from circles.queries.reports import PartnershipFact
from circles.services.reports.individual import Decrypt


@dataclass(frozen=True)
class Looking:
    """Who looks at a report and how: individual rows, notes opened, and the viewer's own pairs left out."""

    individual: bool = False
    decrypt: Decrypt | None = None
    viewer: str | None = None
    users: Mapping[int, str] = field(default_factory=dict)  # member id to Slack user, for the two above
    paired_with: frozenset[str] = frozenset()  # everyone the viewer was ever paired with: their pairs too


def workspace_of(cohorts: Sequence[Cohort]) -> int:
    """The one workspace all these cohorts belong to: a report never mixes tenants."""
    workspaces = {cohort.workspace_id for cohort in cohorts}
    if len(workspaces) != 1:
        raise ValueError("reports are of cohorts of one workspace")
    return workspaces.pop()


def looking_as(session: Session, cohorts: Sequence[Cohort], viewer: str | None) -> Looking:
    """An anonymous report's look, for `viewer`: their own memberships and those of everyone they were ever
    paired with are all it needs to know of people."""
    if viewer is None:
        return Looking()
    workspace_id = workspace_of(cohorts)
    ever = frozenset(partners_ever(session, workspace_id, viewer))
    users = memberships_of_people(session, workspace_id, {viewer, *ever})  # theirs, and their partners'
    return Looking(viewer=viewer, users=users, paired_with=ever)


def left_out_pairs(pairs: Mapping[int, Sequence[PartnershipFact]], looking: Looking) -> set[int]:
    """The pairs the viewer is one of, or has a partner the viewer was ever paired with, of every cohort."""
    return {
        pair.id
        for pair in chain.from_iterable(pairs.values())
        if looking.viewer is not None and _kept_from(pair, looking)
    }


def _kept_from(pair: PartnershipFact, looking: Looking) -> bool:
    users = looking.users  # naming at least the viewer and their partners (see `looking_as`)
    partners = (users.get(pair.first_member_id), users.get(pair.second_member_id))
    return one_of_the_pair(looking.viewer, partners, looking.paired_with)
