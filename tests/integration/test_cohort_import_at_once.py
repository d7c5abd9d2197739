"""Two imports of one cohort file at once on PostgreSQL: the cohort is created once, the second import
waits for the first and then finds nothing to change, as a second import does."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, insert, select, text

from bot.cli_import import describe
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, Profile
from circles.services.cohorts.file_import import ChangeKind, ImportReport, as_given, import_cohort
from tests import factories
from tests.factories import NOW
from tests.integration.test_cohort_import import TEAM, cohort_file

WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def until_waiting(db: Database, count: int, timeout: float = 20) -> None:
    """Return once `count` connections wait for a lock another transaction holds."""
    deadline = time.monotonic() + timeout
    while True:
        with db.engine.connect() as connection:  # a transaction sees pg_stat_activity as it first read it
            if connection.execute(text(WAITING)).scalar_one() >= count:
                return
        assert time.monotonic() < deadline, f"fewer than {count} imports ever waited"
        time.sleep(0.01)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_second_import_of_a_new_cohort_at_the_same_time_waits_then_says_no_changes(
    database_url: str, db: Database
) -> None:
    with db.unit_of_work() as uow:
        workspace_id = factories.workspace(uow.session, TEAM).id
        uow.commit()
    cohort = cohort_file(
        ["{user: U0ANN, role: learner, department: Surgery}", "{user: U0COACH, role: coach}"]
    )
    reports: dict[str, ImportReport] = {}
    failures: list[BaseException] = []

    def importing(name: str) -> None:
        own = Database(database_url)  # its own engine and connections, like another `circles` process
        try:
            reports[name] = import_cohort(own.unit_of_work(), TEAM, cohort, as_given(cohort), now=NOW)
        except BaseException as error:  # reported below, with the thread's own failure
            failures.append(error)
        finally:
            own.dispose()

    # Ann's profile is being saved elsewhere: the first import, which writes it too, waits there with the new
    # cohort inserted and not yet committed, so the second import starts while the first is under way.
    saving = db.engine.connect()
    try:
        saving.begin()
        saving.execute(
            insert(Profile).values(workspace_id=workspace_id, slack_user_id="U0ANN", updated_at=NOW)
        )
        first = threading.Thread(target=importing, args=("first",))
        first.start()
        until_waiting(db, 1)
        second = threading.Thread(target=importing, args=("second",))
        second.start()
        until_waiting(db, 2)
    finally:
        saving.rollback()  # not saved after all: the first import goes on and commits
        saving.close()
    for thread in (first, second):
        thread.join(timeout=60)

    assert failures == []
    assert reports["first"].changes[0].kind is ChangeKind.COHORT_CREATED
    assert describe(reports["second"], {}, dry_run=False) == [
        f"cohort pgy1-spring in workspace {TEAM}",
        "no changes: the cohort already matches the file",
    ]
    with db.unit_of_work() as uow:
        count = uow.session.scalar
        assert count(select(func.count()).select_from(Cohort)) == 1
        assert count(select(func.count()).select_from(Member)) == 2
        assert uow.session.scalars(select(Profile.department)).all() == ["Surgery"]
