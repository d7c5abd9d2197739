"""A rotations file imported again with a row's end corrected: the stored block takes the new end, is counted
as updated, and its person is made due again; a block the person made is theirs and stays."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, Cohort, Member, Partnership
from circles.queries.availability import away_block
from circles.services.availability.rotations import RotationsImported, import_rotations, rotation_cohort
from tests import factories
from tests.databases import counted
from tests.integration.availability.test_rotations_import import residents

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
LATER = datetime(2027, 6, 1, tzinfo=UTC)
PEOPLE = 300


def a_cohort_of(db: Database, people: int) -> None:
    """A cohort in Chicago of `people` members with emails, the first two (when there are two) paired."""
    with db.unit_of_work() as uow:
        _, members = residents(uow.session, people)
        if people > 1:
            factories.pair(uow.session, members[0], members[1])
        uow.commit()


def nothing_due(db: Database) -> None:
    """As after a planning pass: no cohort, digest or partnership's health due before LATER."""
    with db.unit_of_work() as uow:
        session = uow.session
        session.execute(update(Cohort).values(plan_due_at=LATER, planned_until=NOW))
        session.execute(update(Member).values(digest_due_at=LATER))
        session.execute(update(Partnership).values(health_due_at=LATER))
        uow.commit()


def rota(people: range, last_day: str) -> bytes:
    rows = "".join(f"r{n}@hospital.org,2027-01-04,{last_day},rotation\n" for n in people)
    return ("email,start,end,kind\n" + rows).encode()


def imported(db: Database, data: bytes, *, dry_run: bool = False) -> RotationsImported:
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, problems = assign_people(rotations, found, refused)
    assert problems == []
    return import_rotations(db.unit_of_work(), cohort, blocks, now=NOW, dry_run=dry_run)


def ends(db: Database) -> dict[str, datetime]:
    with db.reading() as unit:
        rows = unit.session.execute(select(AwayBlock.slack_user_id, AwayBlock.ends_at))
        return {user_id: ends_at for user_id, ends_at in rows}


def test_a_corrected_end_moves_the_stored_block_and_is_counted_as_updated(db: Database) -> None:
    a_cohort_of(db, 3)
    first = imported(db, rota(range(3), "2027-01-31"))
    assert (first.added, first.updated, first.already_stored) == (3, 0, 0)

    corrected = rota(range(1), "2027-01-17") + rota(range(1, 3), "2027-01-31").split(b"\n", 1)[1]
    again = imported(db, corrected)
    assert (again.added, again.updated, again.already_stored, again.people) == (0, 1, 2, 3)
    assert ends(db) == {
        "U0000": datetime(2027, 1, 18, 6, tzinfo=UTC),  # back at midnight after the corrected last day
        "U0001": datetime(2027, 2, 1, 6, tzinfo=UTC),
        "U0002": datetime(2027, 2, 1, 6, tzinfo=UTC),
    }
    with db.reading() as unit:
        assert len(list(unit.session.scalars(select(AwayBlock)))) == 3


def test_the_person_of_a_corrected_block_is_made_due_again_as_for_a_new_one(db: Database) -> None:
    a_cohort_of(db, 4)
    imported(db, rota(range(4), "2027-01-31"))
    nothing_due(db)
    imported(db, rota(range(1), "2027-01-10"))
    with db.reading() as unit:
        session = unit.session
        assert session.scalars(select(Cohort.plan_due_at)).one() is None
        digests = {m.slack_user_id: m.digest_due_at for m in session.scalars(select(Member))}
        assert digests["U0000"] is None
        assert digests["U0002"] == LATER  # their block was not changed
        assert session.scalars(select(Partnership.health_due_at)).one() == NOW


def test_importing_the_same_file_again_changes_nothing_and_makes_no_one_due(db: Database) -> None:
    a_cohort_of(db, 2)
    imported(db, rota(range(2), "2027-01-31"))
    nothing_due(db)
    again = imported(db, rota(range(2), "2027-01-31"))
    assert (again.added, again.updated, again.already_stored) == (0, 0, 2)
    with db.reading() as unit:
        assert unit.session.scalars(select(Partnership.health_due_at)).one() == LATER


def test_a_dry_run_counts_the_correction_and_writes_nothing(db: Database) -> None:
    a_cohort_of(db, 1)
    imported(db, rota(range(1), "2027-01-31"))
    dry = imported(db, rota(range(1), "2027-02-14"), dry_run=True)
    assert (dry.added, dry.updated, dry.already_stored) == (0, 1, 0)
    assert ends(db) == {"U0000": datetime(2027, 2, 1, 6, tzinfo=UTC)}


def test_a_block_the_person_made_with_the_same_start_and_kind_is_left_as_they_made_it(db: Database) -> None:
    a_cohort_of(db, 1)
    own_end = datetime(2027, 1, 9, 6, tzinfo=UTC)
    with db.unit_of_work() as uow:
        workspace_id = uow.session.scalars(select(Cohort.workspace_id)).one()
        start = datetime(2027, 1, 4, 6, tzinfo=UTC)
        uow.session.add(
            away_block(workspace_id, "U0000", (start, own_end), AbsenceKind.ROTATION, by="U0000", now=NOW)
        )
        uow.commit()
    again = imported(db, rota(range(1), "2027-01-31"))
    assert (again.added, again.updated, again.already_stored) == (0, 0, 1)
    assert ends(db) == {"U0000": own_end}


def test_three_hundred_corrected_ends_are_written_in_a_few_statements(db: Database) -> None:
    a_cohort_of(db, PEOPLE)
    imported(db, rota(range(PEOPLE), "2027-01-31"))
    with counted(db) as statements:
        again = imported(db, rota(range(PEOPLE), "2027-02-07"))
    assert (again.added, again.updated) == (0, PEOPLE)
    assert len(statements) < 20, statements
    assert set(ends(db).values()) == {datetime(2027, 2, 8, 6, tzinfo=UTC)}
