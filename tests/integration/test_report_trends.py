"""Weekly trends and cohorts side by side, from SQLite and PostgreSQL: exact figures, few statements."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipHealthState, Role
from circles.errors import NotAFacilitator
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Workspace
from circles.services.reports import Report, cohort_report, compare_cohorts, write_comparison, write_report
from circles.services.reports.charts import CHARTS
from tests import factories
from tests import report_world as w
from tests.databases import counted


@pytest.fixture
def world(db: Database) -> w.World:
    return w.stored(db)


def cohorts(session: Session, world: w.World) -> list[Cohort]:
    found = session.scalars(select(Cohort).where(Cohort.workspace_id == world.workspace_id)).all()
    return sorted(found, key=lambda cohort: cohort.slug != "pgy1")  # pgy1, then other


def grow(db: Database, world: w.World, pairs: int) -> None:
    """More pairs in both cohorts, each with answered check-ins, a struggling state and an escalation."""
    days = w.Days(world.start)
    with db.unit_of_work() as uow:
        for cohort in cohorts(uow.session, world):
            for number in range(pairs):
                guide, learner = (
                    factories.member(
                        uow.session, cohort, f"U0G{cohort.id}X{number}{end}", role, at=days.on(1), flush=False
                    )
                    for end, role in (("a", Role.COACH), ("b", Role.LEARNER))
                )
                pair = factories.pair(uow.session, guide, learner, started_at=days.on(2))
                for person in (guide, learner):
                    uow.session.add(
                        factories.checkin(pair, person.id, days.on(10), 3, after=timedelta(hours=12))
                    )
                uow.session.add(
                    w.health_record(cohort, pair.id, days.on(11), PartnershipHealthState.STRUGGLING)
                )
                uow.session.add(w.claimed_escalation(cohort, pair.id, days.on(12), days.on(12, 13)))
        uow.commit()


def test_weekly_trends_follow_answers_ratings_and_escalations_week_by_week(
    db: Database, world: w.World
) -> None:
    with db.unit_of_work() as uow:
        report = cohort_report(uow.session, cohorts(uow.session, world)[0], world.now)
    assert [t.week for t in report.trends] == [world.week(n) for n in range(1, 6)]
    assert [(t.due, t.answered) for t in report.trends] == [(0, 0), (4, 3), (1, 1), (3, 1), (0, 0)]
    assert [t.engagement for t in report.trends] == [None, 0.75, 1.0, 1 / 3, None]
    assert [t.mean_rating for t in report.trends] == [None, 4.0, 4.0, 2.0, None]
    assert [t.median_claim for t in report.trends] == [
        None,
        None,
        timedelta(hours=2),
        timedelta(hours=30),
        timedelta(hours=1),
    ]


def test_cohorts_of_a_workspace_are_compared_from_their_own_rows_only(db: Database, world: w.World) -> None:
    with db.unit_of_work() as uow:
        pgy1, other = compare_cohorts(uow.session, world.workspace_id, cohorts(uow.session, world), world.now)
    assert (pgy1.slug, pgy1.members, pgy1.partnerships) == ("pgy1", 5, 2)
    assert (pgy1.checkins_due, pgy1.checkins_answered) == (8, 5)
    assert pgy1.mean_rating == pytest.approx(3.6)
    assert (pgy1.struggling, pgy1.escalations, pgy1.median_claim) == (1, 3, timedelta(hours=2))
    # The other cohort has nothing, and the other workspace's cohort of the same slug never counts.
    assert (other.slug, other.members, other.checkins_due, other.mean_rating, other.escalations) == (
        "other",
        0,
        0,
        None,
        0,
    )


def test_the_report_and_the_comparison_take_the_same_statements_for_few_pairs_as_for_many(
    db: Database, world: w.World
) -> None:
    def statements() -> tuple[int, int]:
        with db.unit_of_work() as uow:
            found = cohorts(uow.session, world)
            with counted(db) as report:
                cohort_report(uow.session, found[0], world.now)
            with counted(db) as compared:
                compare_cohorts(uow.session, world.workspace_id, found, world.now)
        return len(report), len(compared)

    few = statements()
    grow(db, world, 25)
    many = statements()
    assert few == many
    assert many[1] == 5
    with db.unit_of_work() as uow:
        grown = compare_cohorts(uow.session, world.workspace_id, cohorts(uow.session, world), world.now)
    assert [(c.members, c.partnerships, c.struggling, c.escalations) for c in grown] == [
        (55, 27, 26, 28),
        (50, 25, 25, 25),
    ]


def test_several_cohorts_are_written_each_in_its_folder_beside_a_page_comparing_them(
    db: Database, world: w.World, tmp_path: Path, undrawn: None
) -> None:
    index = write_comparison(db.unit_of_work(), "T0001", ["pgy1", "OTHER"], tmp_path, world.now)
    page = index.read_text()
    assert "Cohorts side by side" in page
    assert "PGY-1 residents" in page
    assert "Another cohort" in page
    assert "62% (5 of 8)" in page  # pgy1's engagement
    assert '<a href="pgy1/index.html">' in page
    assert '<a href="other/index.html">' in page
    assert (tmp_path / "pgy1" / "index.html").exists()
    assert (tmp_path / "other" / "summary.csv").exists()
    assert "://" not in page


def more_cohorts(db: Database, world: w.World, count: int) -> list[str]:
    """More cohorts of the workspace, each with every kind of row a report counts; returns their slugs."""
    days = w.Days(world.start)
    slugs = [f"extra{number}" for number in range(count)]
    with db.unit_of_work() as uow:
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        for slug in slugs:
            cohort = factories.cohort(uow.session, workspace, slug, f"Extra {slug}")
            guide, learner = (
                factories.member(uow.session, cohort, f"U0{slug}{end}", role, at=days.on(1), flush=False)
                for end, role in (("A", Role.COACH), ("B", Role.LEARNER))
            )
            pair = factories.pair(uow.session, guide, learner, started_at=days.on(2))
            uow.session.add(factories.checkin(pair, guide.id, days.on(10), 4))
            uow.session.add(w.health_record(cohort, pair.id, days.on(11), PartnershipHealthState.STEADY))
            uow.session.add(w.claimed_escalation(cohort, pair.id, days.on(12), days.on(12, 13)))
            people = [guide, learner]
            factories.circle(uow.session, cohort, people, f"circle-{slug}", f"C0{slug}", at=days.on(3))
        uow.commit()
    return slugs


def figures_only(report: Report) -> bytes:
    """In place of a PNG: drawing charts is slow and asks the database nothing."""
    return repr(report.states).encode()


@pytest.fixture
def undrawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts as their figures: what these tests check is in the tables and pages, not the pictures
    (the drawing is checked in tests/unit/test_report_tables.py and tests/e2e/test_report_cli.py)."""
    for name in CHARTS:
        monkeypatch.setitem(CHARTS, name, figures_only)


def test_comparing_twelve_cohorts_takes_as_many_statements_as_comparing_two(
    db: Database, world: w.World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in CHARTS:
        monkeypatch.setitem(CHARTS, name, figures_only)
    slugs = ["pgy1", "other", *more_cohorts(db, world, 10)]

    def statements(named: list[str]) -> int:
        with counted(db) as seen:
            write_comparison(db.reading(), "T0001", named, tmp_path / str(len(named)), world.now)
        return len(seen)

    statements(slugs[:2])  # a connection's first reading sets it up once; that is not the report's cost
    assert statements(slugs[:2]) == statements(slugs)
    page = (tmp_path / "12" / "index.html").read_text()
    assert all(f'<a href="{slug}/index.html">' in page for slug in slugs)
    summary = (tmp_path / "12" / "extra9" / "summary.csv").read_text()
    assert "checkins_due,1\n" in summary
    assert "escalations_opened,1\n" in summary


def test_a_cohort_named_again_in_another_case_is_compared_once(
    db: Database, world: w.World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in CHARTS:
        monkeypatch.setitem(CHARTS, name, figures_only)
    index = write_comparison(db.reading(), "T0001", ["pgy1", "OTHER", "PGY1", "other"], tmp_path, world.now)
    page = index.read_text()
    assert page.count('<a href="pgy1/index.html">') == 1
    names = ("Measure", "PGY-1 residents", "Another cohort")
    columns = "".join(f'<th scope="col">{name}</th>' for name in names)
    assert page.count(f"<thead><tr>{columns}</tr></thead>") == 2  # the table, and the chart's numbers
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_dir()) == ["other", "pgy1"]


def test_a_facilitator_comparing_a_cohort_they_do_not_run_is_refused_and_nothing_is_written(
    db: Database, world: w.World, tmp_path: Path, undrawn: None
) -> None:
    out = tmp_path / "both"
    with pytest.raises(NotAFacilitator) as refused:
        write_comparison(db.reading(), "T0001", ["pgy1", "other"], out, world.now, as_user=w.FACILITATOR)
    assert refused.value.slug == "other"
    assert not out.exists()
    mine = write_comparison(db.reading(), "T0001", ["pgy1", "PGY1"], out, world.now, as_user=w.FACILITATOR)
    assert "Another cohort" not in mine.read_text()


def test_a_facilitators_report_with_individual_rows_takes_the_same_statements_for_few_pairs_as_many(
    db: Database, world: w.World, tmp_path: Path, undrawn: None
) -> None:
    """Named rows, this week's health brought up to now and the files written: no statement per pair."""

    def statements(folder: str) -> int:
        with counted(db) as seen:
            write_report(
                db.reading(),
                "T0001",
                "pgy1",
                tmp_path / folder,
                world.now,
                individual=True,
                as_user=w.FACILITATOR,
                decrypt=lambda token: token.decode(),
            )
        return len(seen)

    few = statements("few")
    grow(db, world, 25)
    assert statements("many") == few
