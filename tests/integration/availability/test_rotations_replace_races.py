"""Two facilitators import a replacing rota of one cohort at the same moment (two processes on PostgreSQL):
the blocks stored are one file's after the other's, never both files' together; partners hear once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock
from circles.services.availability.rotations import import_rotations, rotation_cohort
from tests.databases import until_one_waits
from tests.integration.availability.test_rotation_notices import (
    IMPORTED,
    LEE_ON_ROTATION,
    START,
    a_programme,
    imported,
    rota,
    tick,
    told,
)

WAIT = 2.0  # seconds the first import waits at most, before it commits, for the second to read or be held


@contextmanager
def second_reads_while_first_writes(db: Database) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Hold the import of the thread named "first", its writes done but not committed, until the thread named
    "second" has read the stored blocks or is seen held up by the first, as it should be (or WAIT has passed):
    on PostgreSQL waiting for a lock, on SQLite at BEGIN IMMEDIATE, which waits for the first's write lock."""
    first_wrote, second_there = threading.Event(), threading.Event()

    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        name, said = threading.current_thread().name, statement.lstrip().upper()
        if name == "second" and said.startswith("BEGIN IMMEDIATE"):
            second_there.set()
        if name == "first" and said.startswith("UPDATE COHORTS"):
            first_wrote.set()
            if db.engine.dialect.name == "sqlite":
                second_there.wait(WAIT)
            else:
                until_one_waits(db, WAIT, through=second_there)

    def after(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        reads_blocks = statement.lstrip().upper().startswith("SELECT") and "FROM away_blocks" in statement
        if threading.current_thread().name == "second" and reads_blocks:
            second_there.set()

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield first_wrote, second_there
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)


def test_two_replacing_imports_at_once_store_one_files_blocks_after_the_others(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    files = {
        "first": rota("r1@hospital.org,2027-01-04,2027-01-31,leave"),
        "second": rota("r2@hospital.org,2027-01-04,2027-01-31,leave"),
    }
    failures: list[BaseException] = []

    with second_reads_while_first_writes(db) as (first_wrote, _):

        def facilitator(name: str) -> None:
            if name == "second":
                first_wrote.wait(WAIT * 2)
            try:
                rotations = read_rotations(files[name], "rota.csv", ZoneInfo(cohort.timezone))
                blocks, _ = assign_people(rotations, *find_people(rotations.emails(), cohort.members, None))
                import_rotations(db.unit_of_work(), cohort, blocks, now=IMPORTED, replace=True)
            except BaseException as error:  # reported by the test, not lost in the thread
                failures.append(error)

        threads = [threading.Thread(target=facilitator, args=(name,), name=name) for name in files]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert failures == []
    with db.reading() as unit:
        people = sorted(unit.session.scalars(select(AwayBlock.slack_user_id)))
    assert people == ["U0002"]  # the first file replaced Lee's rotation; the second replaced the first's


def test_the_same_replacing_rota_imported_twice_at_once_ends_a_block_once_and_tells_partners_once(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    corrected = START + timedelta(days=5)
    data = rota("r1@hospital.org,2027-01-04,2027-01-31,leave")
    start = threading.Barrier(2)

    def facilitator(at: timedelta) -> None:
        rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
        blocks, _ = assign_people(rotations, *find_people(rotations.emails(), cohort.members, None))
        start.wait()
        import_rotations(db.unit_of_work(), cohort, blocks, now=corrected + at, replace=True)

    threads = [threading.Thread(target=facilitator, args=(timedelta(seconds=n),)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for at in (corrected + timedelta(minutes=1), corrected + timedelta(hours=1)):
        tick(db, at)
    with db.reading() as unit:
        blocks = sorted(unit.session.execute(select(AwayBlock.slack_user_id, AwayBlock.kind)))
    assert [(user, str(kind)) for user, kind in blocks] == [("U0000", "rotation"), ("U0001", "leave")]
    back = sorted(to for to, kind, _ in told(db) if kind == "partner_back")
    assert back == ["U0001", "U0002"]
