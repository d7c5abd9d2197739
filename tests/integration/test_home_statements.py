"""Home, `/circles status` and the board ask the same few questions for one cohort as for many."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.persistence.db import Database, UnitOfWork
from circles.services.availability.pattern import availability_of
from circles.services.health.boards import board, boards_run_by
from circles.services.intake.workspaces import find_workspace
from circles.services.nudges.digests import digest_now
from circles.services.people.directory import directory
from circles.services.people.profiles import profile_card
from circles.services.people.runs_page import runs_page
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
                guide = factories.member(uow.session, cohort, guide_id, Role.COACH, flush=False)
                learners = [
                    factories.member(
                        uow.session,
                        cohort,
                        f"{team}L{n}x{k}",
                        status=(MemberStatus.ACTIVE, MemberStatus.PAUSED, MemberStatus.LEFT)[k % 3],
                        flush=False,
                    )
                    for k in range(pairs)
                ]
                uow.session.flush()
                for k, learner in enumerate(learners):
                    state = PartnershipStatus.PAUSED if k % 3 == 1 else PartnershipStatus.ACTIVE
                    factories.pair(uow.session, guide, learner, status=state, flush=False)
        uow.commit()


READERS: dict[str, Callable[[UnitOfWork, str], object]] = {
    "status": lambda uow, team: my_status(uow, team, PERSON, NOW),
    "cohorts run": lambda uow, team: cohorts_run_by(uow, team, PERSON, NOW),
    "boards": lambda uow, team: boards_run_by(uow, team, PERSON, NOW),
    "availability": lambda uow, team: availability_of(uow, team, PERSON, NOW),
    "research": lambda uow, team: consent_status(uow, team, PERSON, NOW),
    "digest": lambda uow, team: digest_now(uow, team, PERSON, NOW),
    "board": lambda uow, team: board(uow, team, PERSON, "run-0", NOW),
}


def statements(
    db: Database, team: str, readers: dict[str, Callable[[UnitOfWork, str], object]] = READERS
) -> dict[str, int]:
    found = {}
    for name, read in readers.items():
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


FEW_MORE: dict[str, Callable[[UnitOfWork, str], object]] = {
    "directory": lambda uow, team: directory(uow, team, PERSON, "feedback", now=NOW),
    "runs page": lambda uow, team: runs_page(uow, team, PERSON, NOW, page=0, per_page=10),
    "own profile": lambda uow, team: profile_card(uow, team, PERSON, PERSON, slack=None, now=NOW),
    "a learner's profile": lambda uow, team: profile_card(
        uow, team, PERSON, f"{team}L0x0", slack=None, now=NOW
    ),
}


def with_profiles(db: Database, team: str) -> None:
    """PERSON and the first learner of their first cohort write a profile."""
    with db.unit_of_work() as uow:
        ws = find_workspace(uow.session, team)
        assert ws is not None
        factories.profile(uow.session, ws, PERSON)
        factories.profile(uow.session, ws, f"{team}L0x0")
        uow.commit()


def test_the_directory_runs_page_and_profile_cards_take_as_many_statements_for_six_cohorts_as_for_one(
    db: Database,
) -> None:
    for team, cohorts, pairs in (("T0001", 1, 2), ("T0002", 6, 9)):
        programme(db, team, cohorts, pairs)
        with_profiles(db, team)
    assert statements(db, "T0002", FEW_MORE) == statements(db, "T0001", FEW_MORE)
