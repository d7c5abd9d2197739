"""A page of the cohorts someone runs costs Home what the page shows, not what the person runs in all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.views.home import RUNS_PER_PAGE, home_view
from circles.domain.tenants import resolve_tenant
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.health.boards import board, boards_run_by
from circles.services.intake.workspaces import ensure_workspace
from circles.services.people.runs_page import RunsPage, runs_page
from circles.services.people.status import cohorts_run_by
from tests import factories
from tests.integration.test_home_statements import NOW, PERSON, programme

PER_PAGE = 4


def page(db: Database, team: str, number: int) -> RunsPage:
    return runs_page(db.reading(), team, PERSON, NOW, page=number, per_page=PER_PAGE)


@contextmanager
def values_sent(db: Database) -> Iterator[list[tuple[str, int]]]:
    """Each SQL statement `db` is sent while the block runs, with how many values are bound to it."""
    sent: list[tuple[str, int]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.startswith("PRAGMA"):  # SQLite's, once a connection
            sent.append((statement, len(parameters or ())))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_a_page_of_four_cohorts_asks_the_same_of_the_database_for_forty_cohorts_run_as_for_four(
    db: Database,
) -> None:
    programme(db, "T0001", 4, 2)
    programme(db, "T0002", 40, 2)
    with values_sent(db) as few:
        small = page(db, "T0001", 0)
    with values_sent(db) as many:
        large = page(db, "T0002", 3)
    assert (small.total, large.total) == (4, 40)
    assert sum(len(b.rows) for b in small.boards) == sum(len(b.rows) for b in large.boards)
    assert many == few  # the same statements, each with as many values: no list of all forty cohorts


def test_a_page_holds_its_cohorts_in_order_with_the_boards_their_own_pages_show(db: Database) -> None:
    programme(db, "T0001", 9, 2)
    second = page(db, "T0001", 1)
    everything = sorted((f"Run {n}", f"run-{n}") for n in range(9))
    assert [run.slug for run in second.runs] == [slug for _, slug in everything[4:8]]
    assert [b.slug for b in second.boards] == [run.slug for run in second.runs]
    for shown in second.boards:
        alone = board(db.reading(), "T0001", PERSON, shown.slug, NOW)
        assert [row.partnership_id for row in shown.rows] == [row.partnership_id for row in alone.rows]
    assert (second.page, second.total) == (1, 9)


def test_home_built_from_one_page_reads_as_home_built_from_every_cohort_run(db: Database) -> None:
    programme(db, "T0001", 2 * RUNS_PER_PAGE + 3, 1)
    runs, boards = (
        cohorts_run_by(db.reading(), "T0001", PERSON, NOW),
        boards_run_by(db.reading(), "T0001", PERSON, NOW),
    )
    for number in (0, 1, 2, 7):
        shown = runs_page(db.reading(), "T0001", PERSON, NOW, page=number, per_page=RUNS_PER_PAGE)
        paged = home_view([], shown.runs, True, shown.boards, shown.page, runs_total=shown.total)
        assert paged.to_dict() == home_view([], runs, True, boards, number).to_dict()


def test_a_page_past_the_last_shows_the_last_and_a_negative_one_the_first(db: Database) -> None:
    programme(db, "T0001", 9, 1)
    assert page(db, "T0001", 99).page == 2
    assert [run.slug for run in page(db, "T0001", 99).runs] == ["run-8"]
    assert page(db, "T0001", -3).runs == page(db, "T0001", 0).runs


def test_a_facilitator_who_coaches_in_a_cohort_they_run_never_sees_their_own_pair_on_the_page(
    db: Database,
) -> None:
    programme(db, "T0001", 2, 2)
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, "T0002")
        run = factories.cohort(uow.session, ws, "both", "Both")
        factories.facilitator(uow.session, run, PERSON)
        mine = factories.member(uow.session, run, PERSON, Role.COACH)
        other = factories.member(uow.session, run, "U0OTHERCOACH", Role.COACH)
        factories.pair(uow.session, mine, factories.member(uow.session, run, "U0MYLEARNER"))
        factories.pair(uow.session, other, factories.member(uow.session, run, "U0THEIRLEARNER"))
        uow.commit()
    [shown] = page(db, "T0002", 0).boards
    assert [(row.first_user_id, row.second_user_id) for row in shown.rows] == [
        ("U0OTHERCOACH", "U0THEIRLEARNER")
    ]


def test_someone_who_runs_nothing_gets_an_empty_page(db: Database) -> None:
    programme(db, "T0001", 2, 1)
    assert runs_page(db.reading(), "T0001", "U0NOBODY", NOW, page=0, per_page=PER_PAGE) == RunsPage()
    assert runs_page(db.reading(), "T0404", PERSON, NOW, page=0, per_page=PER_PAGE) == RunsPage()


def test_a_facilitator_in_several_workspaces_of_an_organisation_sees_only_the_tenant_they_open(
    db: Database,
) -> None:
    org = resolve_tenant("T0ONE", "E0ORG", True).key  # installed org-wide
    alone = resolve_tenant("T0TWO", "E0ORG", False).key  # installed in one workspace of the same org
    with db.unit_of_work() as uow:
        for key, slugs in ((org, ("org-a", "org-b")), (alone, ("two-a",))):
            ws = ensure_workspace(uow.session, key, NOW)
            for slug in slugs:
                run = factories.cohort(uow.session, ws, slug, slug.upper())
                factories.facilitator(uow.session, run, PERSON)
                coach = factories.member(uow.session, run, f"U0C{slug}", Role.COACH)
                factories.pair(uow.session, coach, factories.member(uow.session, run, f"U0L{slug}"))
        uow.commit()
    for key, slugs in ((org, ("org-a", "org-b")), (alone, ("two-a",))):
        shown = page(db, key, 0)
        assert shown.total == len(slugs)
        assert [run.slug for run in shown.runs] == [b.slug for b in shown.boards] == list(slugs)
