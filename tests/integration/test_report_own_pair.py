"""A report asked for by a facilitator who is one of a pair, or was ever paired with one of its partners:
nothing of that pair, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.reports import Report, report_for, write_comparison, write_report
from circles.services.reports.charts import CHARTS
from tests import factories
from tests import report_world as w

COACH = "U0C1"  # the coach of P1, P3 and P5; so once paired with U0L4, who was in P4 with U0C2


@pytest.fixture
def world(db: Database) -> w.World:
    with db.unit_of_work() as uow:
        built = w.build(uow.session)
        factories.facilitator(uow.session, uow.session.get_one(Cohort, built.cohort_id), COACH)
        uow.commit()
    return built


@pytest.fixture
def undrawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts as their figures: who is left out shows in the tables and pages, which these tests read
    (the drawing is checked in tests/unit/test_report_tables.py and tests/e2e/test_report_cli.py)."""
    for name in CHARTS:
        monkeypatch.setitem(CHARTS, name, lambda report: repr(report.states).encode())


def ask(db: Database, world: w.World, user_id: str, *, individual: bool = False) -> Report:
    return report_for(
        db.unit_of_work(), "T0001", user_id, "pgy1", world.now, is_admin=False, individual=individual
    )


def test_their_own_pairs_are_left_out_of_the_rows_and_every_count(db: Database, world: w.World) -> None:
    found = ask(db, world, COACH, individual=True)
    assert found.left_out == 4  # P4 too: what U0L4 said of it is not for their later coach
    assert found.individual is not None
    assert {row.partnership_id for row in found.individual} == {world.pairs["P2"]}
    assert COACH not in repr(found.individual)
    assert found.endings.total == 1
    assert found.escalations.opened == 2  # both about P2; P1's is not counted
    assert found.checkins_due == 3  # P2's two and P4's one, of 8
    assert all(week.total <= 2 for week in found.states)


def test_a_facilitator_in_no_pair_still_sees_every_pair(db: Database, world: w.World) -> None:
    found = ask(db, world, w.FACILITATOR, individual=True)
    assert found.left_out == 0
    assert found.individual is not None
    assert len(found.individual) == 5
    assert found.escalations.opened == 3


def test_the_files_a_facilitator_writes_as_themselves_leave_out_their_own_pairs(
    db: Database, world: w.World, tmp_path: Path, undrawn: None
) -> None:
    files = write_report(
        db.reading(), "T0001", "pgy1", tmp_path, world.now, individual=True, as_user=COACH, decrypt=w.unseal
    )
    assert files.report.left_out == 4
    written = "".join(path.read_text() for path in tmp_path.glob("*.csv"))
    assert COACH not in written
    assert w.SHARED_NOTE not in written  # shared in P1, their own pair
    assert files.report.escalations.opened == 2


def test_cohorts_compared_as_a_facilitator_who_is_one_of_a_pair_leave_out_their_own_pairs(
    db: Database, world: w.World, tmp_path: Path, undrawn: None
) -> None:
    with db.unit_of_work() as uow:
        theirs = (Cohort.workspace_id == world.workspace_id, Cohort.slug == "other")
        other = uow.session.scalars(select(Cohort).where(*theirs)).one()
        factories.facilitator(uow.session, other, COACH)
        uow.commit()
    index = write_comparison(db.reading(), "T0001", ["pgy1", "other"], tmp_path, world.now, as_user=COACH)
    summary = (tmp_path / "pgy1" / "summary.csv").read_text()
    assert "checkins_due,3\n" in summary  # P2's three, of 8
    assert "escalations_opened,2\n" in summary  # both about P2; P1's is not counted
    assert COACH not in "".join(path.read_text() for path in tmp_path.rglob("*.csv"))
    page = index.read_text()
    assert "(5 of 8)" not in page  # pgy1's engagement with P1's check-ins
    assert "33% (1 of 3)" in page  # without them
