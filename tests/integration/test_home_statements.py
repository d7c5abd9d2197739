"""Home, `/circles status` and the board ask the same few questions for one cohort as for many."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.persistence.db import Database, UnitOfWork
from circles.services.availability.pattern import availability_of
from circles.services.health.boards import board, boards_run_by
from circles.services.nudges.digests import digest_now
from circles.services.people.status import cohorts_run_by, my_status
from circles.services.research.consent import consent_status
from tests import factories
from tests.databases import counted

NOW = factories.NOW + timedelta(days=20)
PERSON = "U0BOTH"  # facilitates some cohorts, coaches in others


def programme(db: Database, team: str, cohorts: int, pairs: int) -> None:
    """`cohorts` cohorts PERSON runs, as many where PERSON coaches `pairs` learners, some paused or left."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team)
        for n in range(cohorts):
            run = factories.cohort(uow.session, ws, f"run-{n}", f"Run {n}")
            factories.facilitator(uow.session, run, PERSON)
            joined = factories.cohort(uow.session, ws, f"join-{n}", f"Joined {n}")
            for cohort, guide_id in ((run, f"{team}G{n}"), (joined, PERSON)):
                guide = factories.member(uow.session, cohort, guide_id, Role.COACH)
                for k in range(pairs):
                    status = (MemberStatus.ACTIVE, MemberStatus.PAUSED, MemberStatus.LEFT)[k % 3]
                    learner = factories.member(uow.session, cohort, f"{team}L{n}x{k}", status=status)
                    state = PartnershipStatus.PAUSED if k % 3 == 1 else PartnershipStatus.ACTIVE
                    factories.pair(uow.session, guide, learner, status=state)
        uow.commit()


READERS: dict[str, Callable[[UnitOfWork, str], object]] = {
    "status": lambda uow, team: my_status(uow, team, PERSON, NOW),
    "cohorts run": lambda uow, team: cohorts_run_by(uow, team, PERSON),
    "boards": lambda uow, team: boards_run_by(uow, team, PERSON, NOW),
    "availability": lambda uow, team: availability_of(uow, team, PERSON, NOW),
    "research": lambda uow, team: consent_status(uow, team, PERSON, NOW),
    "digest": lambda uow, team: digest_now(uow, team, PERSON, NOW),
    "board": lambda uow, team: board(uow, team, PERSON, "run-0", NOW),
}


def statements(db: Database, team: str) -> dict[str, int]:
    found = {}
    for name, read in READERS.items():
        with counted(db) as seen:
            read(db.reading(), team)
        found[name] = len([s for s in seen if not s.startswith("PRAGMA")])  # SQLite's, once a connection
    return found


def test_home_status_digest_and_board_take_as_many_statements_for_six_cohorts_as_for_one(
    db: Database,
) -> None:
    programme(db, "T0001", 1, 2)
    programme(db, "T0002", 6, 9)
    assert statements(db, "T0002") == statements(db, "T0001")
