"""Building a report only reads, on SQLite and PostgreSQL: no row changes, and every figure is as if
this week's health had been recorded first."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import cli, logs
from circles.domain.vocabulary import PartnershipHealthState
from circles.persistence.base import Base
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.health.recompute import recompute
from circles.services.reports import Report, cohort_report, report_for, write_comparison
from circles.services.reports.charts import CHARTS
from tests import report_world as w
from tests.databases import counted

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def world(db: Database) -> w.World:
    """The seeded cohort, its running pair last recorded struggling: as of now it needs attention instead,
    so this week's states, the comparison's struggling count and the pair's row all move once it is counted.
    """
    built = w.stored(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, built.cohort_id)
        at = w.Days(built.start).on(30, 6)
        uow.session.add(w.health_record(cohort, built.pairs["P1"], at, PartnershipHealthState.STRUGGLING))
        uow.commit()
    return built


def rows_of_every_table(db: Database) -> dict[str, int]:
    with db.reading() as uow:
        return {
            table.name: uow.session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def record_this_weeks_health(db: Database, world: w.World) -> None:
    """What a tick's health pass stores at `now`: the report must count as if this had been done."""
    with db.unit_of_work() as uow:
        recompute(uow.session, world.now, cohort_id=world.cohort_id)
        uow.commit()


def drawn_figures(report: Report) -> bytes:
    """In place of a PNG: the figures the charts are drawn from (drawing them is slow and shows no more)."""
    return repr((report.states, report.checkins, report.participation)).encode()


def folder_text(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text() for path in sorted(folder.rglob("*.csv"))} | {
        str(path.relative_to(folder)): path.read_text() for path in sorted(folder.rglob("*.html"))
    }


def test_a_facilitator_reading_a_report_changes_no_row_yet_sees_this_weeks_health(
    db: Database, world: w.World
) -> None:
    before = rows_of_every_table(db)
    with counted(db) as statements:
        found = report_for(
            db.reading(),  # a write would be refused here, on both databases
            "T0001",
            w.FACILITATOR,
            "pgy1",
            world.now,
            is_admin=False,
            individual=True,
            decrypt=w.unseal,
        )
    assert rows_of_every_table(db) == before
    assert [s for s in statements if s.lstrip().upper().startswith(WRITES)] == []
    record_this_weeks_health(db, world)
    assert (
        rows_of_every_table(db)["partnership_health"] == before["partnership_health"] + 1
    )  # a change to count
    with db.reading() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        recorded = cohort_report(
            uow.session, cohort, world.now, individual=True, decrypt=w.unseal, viewer=w.FACILITATOR
        )
    assert found == recorded


def test_the_report_command_changes_no_row_and_writes_the_files_health_recorded_first_would_give(
    db: Database,
    world: w.World,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr(logs, "configure", lambda **_: None)  # the test's own logging stays as it is
    monkeypatch.setattr(logging.getLogger(), "level", logging.getLogger().level)
    for name in CHARTS:
        monkeypatch.setitem(CHARTS, name, drawn_figures)
    before = rows_of_every_table(db)
    at = ["--team", "T0001", "--now", world.now.isoformat()]
    assert cli.main(["report", "pgy1", "--out", str(tmp_path / "one"), *at]) == 0
    assert cli.main(["report", "pgy1", "other", "--out", str(tmp_path / "both"), *at]) == 0
    assert rows_of_every_table(db) == before
    record_this_weeks_health(db, world)
    assert cli.main(["report", "pgy1", "--out", str(tmp_path / "recorded"), *at]) == 0
    write_comparison(db.reading(), "T0001", ["pgy1", "other"], tmp_path / "both-recorded", world.now)
    assert folder_text(tmp_path / "one") == folder_text(tmp_path / "recorded")
    assert folder_text(tmp_path / "both") == folder_text(tmp_path / "both-recorded")
