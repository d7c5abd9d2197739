"""Someone who left pgy1 without ever writing a profile asks to have their data erased at the moment a cohort
file adds them to another cohort (a new one, or one already running), on another process (PostgreSQL). The
two take turns on the person, as an erasure and a join do: an import that comes second adds them afresh,
with the file's profile and a welcome; an erasure that comes second finds them in a cohort and refuses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, OutboxMessage, Profile
from circles.services.cohorts.file_import import ImportReport, as_given, import_cohort
from circles.services.people.erasure import erase_personal_data
from tests import factories
from tests.databases import meanwhile
from tests.factories import NOW
from tests.integration.test_cohort_import import LATER, TEAM, cohort_file
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

SAM, BOB = "U0SAM", "U0BOB"
FILE = cohort_file(["{user: U0SAM, role: learner, department: Surgery}"])
NEW_OR_RUNNING = pytest.mark.parametrize("running", [False, True], ids=["new cohort", "running cohort"])


def left_pgy1(db: Database, *, running: bool) -> None:
    """Sam left pgy1, which Bob is still in, and has no profile (they joined and never wrote one); with
    `running`, the file's cohort already runs, without Sam."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, TEAM)
        pgy1 = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.member(uow.session, pgy1, SAM, Role.PEER, MemberStatus.LEFT, flush=False).left_at = NOW
        factories.member(uow.session, pgy1, BOB, Role.PEER, flush=False)
        if running:
            spring = factories.cohort(uow.session, ws, FILE.slug, FILE.settings.name)
            factories.member(uow.session, spring, BOB, Role.LEARNER, flush=False)
        uow.commit()


def importing(db: Database) -> ImportReport:
    return import_cohort(db.unit_of_work(), TEAM, FILE, as_given(FILE), now=LATER)


@contextmanager
def importing_when(db: Database, database_url: str, statement: str) -> Iterator[list[object]]:
    """The first time `db` sends a statement beginning with `statement`, the file is imported by another
    process (an engine of its own), until it waits for a lock or ends; then `db`'s statement goes on.
    What the import returned or raised is in the list given."""
    other = Database(database_url)
    try:
        with meanwhile(db, statement, lambda: importing(other)) as outcome:
            yield outcome
    finally:
        other.dispose()


def sams_membership(db: Database, slug: str) -> Member | None:
    with db.reading() as reading:
        query = select(Member).join(Cohort, Cohort.id == Member.cohort_id)
        return reading.session.scalars(query.where(Member.slack_user_id == SAM, Cohort.slug == slug)).first()


def sams_department(db: Database) -> str | None:
    with db.reading() as reading:
        return reading.session.scalars(select(Profile.department).where(Profile.slack_user_id == SAM)).first()


def sams_welcomes(db: Database) -> list[str]:
    with db.reading() as reading:
        query = select(OutboxMessage.idempotency_key).where(
            OutboxMessage.channel == SAM, OutboxMessage.status == OutboxStatus.PENDING
        )
        return list(reading.session.scalars(query))


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@NEW_OR_RUNNING
def test_a_file_adding_someone_as_their_data_is_erased_waits_then_adds_them_with_its_profile_and_a_welcome(
    db: Database, database_url: str, running: bool
) -> None:
    left_pgy1(db, running=running)

    # The erasure has found Sam in no cohort and is wiping their notes when the file is imported elsewhere.
    with importing_when(db, database_url, "UPDATE checkins") as imported:
        erased = erase_personal_data(db.unit_of_work(), TEAM, SAM, NOW)

    [report] = imported
    assert erased is True
    assert isinstance(report, ImportReport), report
    assert report.welcomed == 1
    joined = sams_membership(db, FILE.slug)
    assert joined is not None
    assert joined.status is MemberStatus.ACTIVE
    assert joined.erased_before is None  # a new membership, after the erasure
    assert sams_department(db) == "Surgery"  # the file's profile is not erased with the old one
    assert [key.split(":")[0] for key in sams_welcomes(db)] == ["welcome"]  # and Sam still hears of it


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@NEW_OR_RUNNING
def test_an_erasure_asked_for_as_a_file_adds_the_person_waits_then_refuses(
    db: Database, running: bool
) -> None:
    left_pgy1(db, running=running)
    held = CommitAfter(db, lambda: erase_personal_data(db.unit_of_work(), TEAM, SAM, NOW))

    report = import_cohort(held, TEAM, FILE, as_given(FILE), now=LATER)

    [erased] = held.outcome
    assert erased is False  # "you are still in a cohort": nothing of theirs is touched
    assert report.welcomed == 1
    left = sams_membership(db, "pgy1")
    assert left is not None
    assert left.erased_before is None
    assert sams_department(db) == "Surgery"
    assert [key.split(":")[0] for key in sams_welcomes(db)] == ["welcome"]
