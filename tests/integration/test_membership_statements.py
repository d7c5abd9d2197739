"""Pausing, resuming and leaving ask the database as often for a person in six cohorts as for one in two."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from circles.domain.vocabulary import Role
from circles.errors import WhichCohort
from circles.persistence.db import Database
from circles.services.people.membership import leave, pause, resume
from tests import factories
from tests.databases import counted

NOW = factories.NOW
IN_SIX, IN_TWO = ("T0SIX", 6), ("T0TWO", 2)


def in_cohorts(db: Database, team: str, cohorts: int) -> None:
    """U0A is a peer in `cohorts` cohorts of the workspace `team`, c0, c1, …"""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team)
        for n in range(cohorts):
            factories.member(
                uow.session, factories.cohort(uow.session, ws, f"c{n}", f"Cohort {n}"), "U0A", Role.PEER
            )
        uow.commit()


def sent(seen: list[str]) -> int:
    return len([s for s in seen if not s.startswith("PRAGMA")])  # SQLite's, once a connection


def resumed(db: Database, team: str) -> tuple[list[str], int]:
    """The cohorts U0A resumed after a pause, and the statements the resume took."""
    pause(db.unit_of_work(), team, "U0A", None, NOW)
    with counted(db) as seen:
        slugs = resume(db.unit_of_work(), team, "U0A", NOW)
    return slugs, sent(seen)


def refused_leave(db: Database, team: str) -> tuple[list[str], int]:
    """The cohorts a leave naming none lists back, and the statements the refusal took."""
    with counted(db) as seen, pytest.raises(WhichCohort) as raised:
        leave(db.unit_of_work(), team, None, "U0A", NOW)
    return raised.value.slugs, sent(seen)


@pytest.mark.parametrize("answer", [resumed, refused_leave], ids=["resume", "leave naming no cohort"])
def test_a_person_in_six_cohorts_is_answered_in_as_many_statements_as_one_in_two(
    db: Database, answer: Callable[[Database, str], tuple[list[str], int]]
) -> None:
    for team, cohorts in (IN_TWO, IN_SIX):
        in_cohorts(db, team, cohorts)
    slugs, six = answer(db, IN_SIX[0])
    assert slugs == [f"c{n}" for n in range(6)]
    assert answer(db, IN_TWO[0]) == (["c0", "c1"], six)
