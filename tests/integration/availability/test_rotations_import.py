"""Importing rotation blocks: one transaction, a second import harmless, few statements for many people,
and the people's cohorts and partnerships made due again."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.persistence.db import Database, Session
from circles.persistence.models import AwayBlock, Cohort, Member, Partnership, Workspace
from circles.services.availability.rotations import import_rotations, rotation_cohort
from tests import factories
from tests.databases import counted

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PEOPLE = 300


def residents(session: Session, people: int) -> tuple[Workspace, list[Member]]:
    """A cohort `pgy1` in Chicago of `people` members U0000… with emails r0@hospital.org…"""
    ws = factories.workspace(session, "T0HOSP")
    cohort = factories.cohort(session, ws, "pgy1")
    cohort.timezone = "America/Chicago"
    members = []
    for n in range(people):
        members.append(factories.member(session, cohort, f"U{n:04d}", flush=False))
        factories.profile(session, ws, f"U{n:04d}", flush=False).email = f"r{n}@hospital.org"
    session.flush()
    return ws, members


def a_cohort_of(db: Database, people: int) -> None:
    """A cohort in Chicago of `people` members with emails, the first two paired and settled."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws, members = residents(session, people)
        other = factories.cohort(session, ws, "peers")
        factories.member(session, other, "U0000")
        factories.pair(session, members[0], members[1]).health_due_at = datetime(2027, 6, 1, tzinfo=UTC)
        session.flush()
        session.execute(
            update(Cohort).values(plan_due_at=datetime(2027, 6, 1, tzinfo=UTC), planned_until=NOW)
        )
        session.execute(update(Member).values(digest_due_at=datetime(2027, 6, 1, tzinfo=UTC)))
        uow.commit()


def csv_for(people: range) -> bytes:
    rows = "".join(f"r{n}@hospital.org,2027-01-04,2027-01-31,rotation\n" for n in people)
    return ("email,start,end,kind\n" + rows).encode()


def imported(db: Database, data: bytes, *, dry_run: bool = False) -> tuple[int, int, list[str]]:
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, problems = assign_people(rotations, found, refused)
    result = import_rotations(db.unit_of_work(), cohort, blocks, now=NOW, dry_run=dry_run)
    return result.added, result.already_stored, [str(problem) for problem in problems]


def test_three_hundred_blocks_are_stored_in_a_few_statements_and_a_second_import_adds_none(
    db: Database,
) -> None:
    a_cohort_of(db, PEOPLE)
    with counted(db) as statements:
        added, already, problems = imported(db, csv_for(range(PEOPLE)))
    assert (added, already, problems) == (PEOPLE, 0, [])
    assert len(statements) < 20, statements
    with db.reading() as unit:
        blocks = list(unit.session.scalars(select(AwayBlock).order_by(AwayBlock.slack_user_id)))
    assert len(blocks) == PEOPLE
    first = blocks[0]
    assert (first.slack_user_id, first.kind, first.created_by) == ("U0000", AbsenceKind.ROTATION, "import")
    assert (first.starts_at, first.ends_at) == (
        datetime(2027, 1, 4, 6, tzinfo=UTC),
        datetime(2027, 2, 1, 6, tzinfo=UTC),
    )

    assert imported(db, csv_for(range(PEOPLE))) == (0, PEOPLE, [])
    with db.reading() as unit:
        assert unit.session.scalar(select(func.count()).select_from(AwayBlock)) == PEOPLE


def test_their_cohorts_are_planned_again_and_their_pairs_looked_at(db: Database) -> None:
    a_cohort_of(db, 4)
    imported(db, csv_for(range(1)))
    with db.reading() as unit:
        session = unit.session
        assert {c.slug: c.plan_due_at for c in session.scalars(select(Cohort))} == {
            "pgy1": None,
            "peers": None,
        }
        digests = {(m.slack_user_id, m.digest_due_at is None) for m in session.scalars(select(Member))}
        assert ("U0000", True) in digests
        assert ("U0002", False) in digests
        assert session.scalars(select(Partnership.health_due_at)).one() == NOW


def test_a_dry_run_and_rows_with_problems_store_nothing_of_theirs(db: Database) -> None:
    a_cohort_of(db, 3)
    data = (
        csv_for(range(3))
        + b"r9@hospital.org,2027-01-04,2027-01-31,rotation\nr2@hospital.org,2027-01-31,2027-01-04,leave\n"
    )
    assert imported(db, data, dry_run=True)[:2] == (3, 0)
    with db.reading() as unit:
        assert unit.session.scalar(select(func.count()).select_from(AwayBlock)) == 0
        assert unit.session.scalars(select(Partnership.health_due_at)).one() != NOW
    added, _, problems = imported(db, data)
    assert added == 3
    assert problems == [
        "row 5: r9@hospital.org is not the email of a member of pgy1 (Slack was not asked)",
        "row 6: end 2027-01-04 is before start 2027-01-31",
    ]
    with db.reading() as unit:
        users = set(unit.session.scalars(select(AwayBlock.slack_user_id)))
    assert users == {"U0000", "U0001", "U0002"}
