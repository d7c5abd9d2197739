"""Who hears a person's request for support in a cohort: the one rule that sending it, the support form and
the answer to what they type all follow, so that what they are told before they write is who reads it.

The cohort's facilitators who may hear it (`reachable_facilitators`: not gone from Slack, not away now; and
`Hearers`: none ever paired with the member, nor, about a partnership, with its partner); when none may,
the admins (CIRCLES_ADMINS) who may; when none of them may either, nobody.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from circles.domain.own_pairs import who_may_hear
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.cohorts import facilitators_by_cohort, reachable_facilitators
from circles.queries.partnerships.ever import kept_from_pair, partners_ever
from circles.services.escalations.sending import Admins, admins_of


@dataclass(frozen=True)
class SupportSent:
    """Who was (or would be) told: the cohort and its facilitators' Slack user IDs, or the admins when none
    of them may be.

    The admins are never named to the member; nor is why the facilitators could not take it.
    """

    cohort_slug: str
    cohort_name: str
    facilitators: list[str]  # empty when the cohort has none yet, or none may hear this request
    admins: list[str] = field(default_factory=list)  # told instead when no facilitator may be
    facilitated: bool = False  # the cohort has facilitators, even when none of them may hear this one

    @property
    def told(self) -> list[str]:
        return self.facilitators or self.admins


class Heard(StrEnum):
    """Who a request would reach, as the person is told before they write it."""

    FACILITATORS = "facilitators"
    FACILITATORS_OR_ADMINS = "facilitators or admins"  # the admins, about a partnership none of them may hear
    ADMINS = "admins"  # no facilitator may hear it: the people who run Circles instead
    NOBODY = "nobody"  # sending it is refused


@dataclass(frozen=True)
class Hearers:
    """Who may hear a person's request for support: none of the people they are, or were, paired with,
    in any cohort of the workspace, and never themselves; about a partnership, nobody its partner is, or
    was, paired with either (`kept_from_pair`, as for the pair's alerts)."""

    left_out: frozenset[str | None]
    admins: Collection[str]

    @classmethod
    def of(
        cls, session: Session, workspace_id: int, user_id: str, admins: Admins, partner: str | None = None
    ) -> Hearers:
        return cls(
            kept_from_request(session, workspace_id, user_id, partner), admins_of(admins, workspace_id)
        )

    def among(self, facilitators: Collection[str]) -> tuple[list[str], list[str]]:
        """The cohort's facilitators who may hear; the admins instead, when none of them may."""
        hearing = who_may_hear(facilitators, self.left_out)
        return hearing, [] if hearing else self.stand_ins()

    def stand_ins(self) -> list[str]:
        """The admins who would hear it when no facilitator may."""
        return who_may_hear(self.admins, self.left_out)

    def in_cohorts(self, session: Session, cohorts: Sequence[Cohort], now: datetime) -> list[SupportSent]:
        """Who the request would reach now in each of these cohorts, in order: as it is sent."""
        ids = [cohort.id for cohort in cohorts]
        present, named = reachable_facilitators(session, ids, now), facilitators_by_cohort(session, ids)
        return [
            SupportSent(cohort.slug, cohort.name, *self.among(present.get(cohort.id, [])), cohort.id in named)
            for cohort in cohorts
        ]


def kept_from_request(
    session: Session, workspace_id: int, user_id: str, partner: str | None
) -> frozenset[str | None]:
    """Who never hears a person's request: they, everyone they were ever paired with and, when it is about
    a partnership, its partner and everyone the partner was ever paired with."""
    if partner is None:
        return frozenset({user_id} | partners_ever(session, workspace_id, user_id))
    return kept_from_pair(session, workspace_id, (user_id, partner))
