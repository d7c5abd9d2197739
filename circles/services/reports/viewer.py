"""Who looks at a report and how: the pairs a viewer is one of are left out of it, and a report keeps to
one workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from circles.domain.own_pairs import one_of_the_pair
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.members import memberships_of
from circles.queries.reports import PartnershipFact
from circles.services.reports.individual import Decrypt


@dataclass(frozen=True)
class Looking:
    """Who looks at a report and how: individual rows, notes opened, and the viewer's own pairs left out."""

    individual: bool = False
    decrypt: Decrypt | None = None
    viewer: str | None = None
    users: Mapping[int, str] = field(default_factory=dict)  # member id to Slack user, for the two above


def workspace_of(cohorts: Sequence[Cohort]) -> int:
    """The one workspace all these cohorts belong to: a report never mixes tenants."""
    workspaces = {cohort.workspace_id for cohort in cohorts}
    if len(workspaces) != 1:
        raise ValueError("reports are of cohorts of one workspace")
    return workspaces.pop()


def looking_as(session: Session, cohorts: Sequence[Cohort], viewer: str | None) -> Looking:
    """An anonymous report's look, for `viewer`: their own memberships are all it needs to know of people."""
    if viewer is None:
        return Looking()
    mine = memberships_of(session, workspace_of(cohorts), viewer)
    return Looking(viewer=viewer, users={member.id: member.slack_user_id for member in mine})


def left_out_pairs(pairs: Mapping[int, Sequence[PartnershipFact]], looking: Looking) -> set[int]:
    """The pairs the viewer is one of, of every cohort."""
    return {
        pair.id
        for pair in chain.from_iterable(pairs.values())
        if looking.viewer is not None and _in_pair(pair, looking.users, looking.viewer)
    }


def _in_pair(pair: PartnershipFact, users: Mapping[int, str], viewer: str) -> bool:
    return one_of_the_pair(viewer, (users.get(pair.first_member_id), users.get(pair.second_member_id)))
