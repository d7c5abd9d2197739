"""A cohort's report from SQLite and PostgreSQL: exact figures, privacy, and who may see it."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from circles.domain.vocabulary import Role
from circles.errors import CohortNotFound, NotAFacilitator
from circles.persistence.db import Database
from circles.persistence.models import Cohort, HealthRecord
from circles.services.reports import Report, cohort_report, report_for, write_report
from tests import report_world as w
from tests.shared_worlds import BOTH, shared


@pytest.fixture(scope="module", params=BOTH)
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """One database for the module on each engine: its tests only read the world (reports write nothing)."""
    with shared(request) as opened:
        yield opened


@pytest.fixture(scope="module")
def world(db: Database) -> w.World:
    return w.stored(db)


def report(db: Database, world: w.World, **options: object) -> Report:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        return cohort_report(uow.session, cohort, world.now, **options)  # type: ignore[arg-type]


def test_participation_and_retention_count_every_join_and_leave_in_its_week(
    db: Database, world: w.World
) -> None:
    found = report(db, world)
    counts = {c.role: (c.active, c.paused, c.left) for c in found.members}
    assert counts == {Role.COACH: (2, 0, 0), Role.LEARNER: (2, 1, 1)}
    assert (found.members_joined, found.members_left, found.retention) == (6, 1, 5 / 6)
    assert [(p.week, p.joined, p.left, p.members) for p in found.participation] == [
        (world.week(1), 4, 0, 4),
        (world.week(2), 1, 0, 5),
        (world.week(3), 1, 0, 6),
        (world.week(4), 0, 1, 5),
        (world.week(5), 0, 0, 5),
    ]


def test_check_ins_are_counted_by_the_week_they_fell_due(db: Database, world: w.World) -> None:
    found = report(db, world)
    assert [(c.due, c.answered) for c in found.checkins] == [(0, 0), (4, 3), (1, 1), (3, 1), (0, 0)]
    assert (found.checkins_due, found.checkins_answered, found.response_rate) == (8, 5, 5 / 8)


def test_partnership_states_follow_the_health_history_week_by_week(db: Database, world: w.World) -> None:
    found = report(db, world)
    shown = [(s.thriving, s.steady, s.needs_attention, s.struggling, s.not_assessed) for s in found.states]
    assert shown == [
        (0, 2, 0, 0, 0),  # both first pairs steady
        (1, 2, 0, 0, 0),  # one thriving, and a third pair has started
        (1, 1, 0, 1, 1),  # one struggling; a fourth pair not assessed yet
        (1, 0, 1, 1, 0),  # two pairs ended, a new one thriving
        (0, 0, 1, 1, 0),  # the new one completed
    ]


def test_escalations_give_counts_and_the_time_to_the_first_response(db: Database, world: w.World) -> None:
    figures = report(db, world).escalations
    assert (figures.opened, figures.claimed, figures.resolved, figures.still_open) == (3, 3, 1, 2)
    assert figures.median_first_response is not None
    assert figures.mean_first_response is not None
    assert figures.median_first_response.total_seconds() == 2 * 3600
    assert figures.mean_first_response.total_seconds() == 11 * 3600  # (2 + 30 + 1) / 3 hours
    assert [(e.opened, e.claimed, e.resolved) for e in figures.weeks] == [
        (0, 0, 0),
        (0, 0, 0),
        (1, 1, 0),
        (1, 1, 1),
        (1, 1, 0),
    ]


def test_endings_separate_completed_partnerships_from_early_ones(db: Database, world: w.World) -> None:
    endings = report(db, world).endings
    assert (endings.active, endings.paused, endings.completed, endings.ended_early) == (1, 1, 1, 2)
    assert (endings.member_left, endings.rematched, endings.no_fault) == (1, 1, 0)


def test_circle_engagement_counts_members_still_active_and_prompts_delivered_or_missed(
    db: Database, world: w.World
) -> None:
    circles = report(db, world).circles
    assert [
        (c.name, c.members, c.active, c.paused, c.left, c.prompts_sent, c.prompts_missed, c.prompts_failed)
        for c in circles
    ] == [
        ("circle-pgy1-r1-1", 3, 2, 0, 1, 3, 1, 0),
        ("circle-pgy1-r1-2", 3, 2, 1, 0, 1, 0, 1),
    ]
    # A prompt due now and not sent yet is waiting; one planned for later is not counted at all.
    assert [c.prompts_waiting for c in circles] == [0, 1]


def test_another_workspaces_cohort_of_the_same_name_counts_only_its_own_rows(
    db: Database, world: w.World
) -> None:
    with db.unit_of_work() as uow:
        theirs = uow.session.scalars(select(Cohort).where(Cohort.name == "Elsewhere")).one()
        found = cohort_report(uow.session, theirs, world.now)
    assert found.members_joined == 2
    assert (found.checkins_due, found.escalations.opened, found.circles) == (2, 1, ())
    assert found.states[-1].struggling == 1


def test_individual_rows_come_only_when_asked_for(db: Database, world: w.World) -> None:
    assert report(db, world).individual is None
    rows = report(db, world, individual=True).individual
    assert rows is not None
    first = rows[0]
    assert (first.first_user_id, first.second_user_id, first.state) == ("U0C1", "U0L1", "needs_attention")
    assert first.reasons == (w.REASON_TEXT,)
    assert (first.checkins_due, first.checkins_answered) == (4, 3)
    assert (first.first_latest_rating, first.second_latest_rating) == (2, 5)
    assert [row.end_reason for row in rows][2:] == ["member_left", "rematched", "completed"]


def test_shared_notes_appear_only_with_the_key_and_notes_kept_private_never_do(
    db: Database, world: w.World
) -> None:
    without_key = report(db, world, individual=True)
    assert without_key.individual is not None
    assert all(row.shared_notes == () for row in without_key.individual)
    with_key = report(db, world, individual=True, decrypt=w.unseal)
    assert with_key.individual is not None
    answered_on = (world.start + timedelta(days=10)).date()
    assert with_key.individual[0].shared_notes == (f"{answered_on} U0L1: {w.SHARED_NOTE}",)
    everything = repr(with_key)
    assert w.PRIVATE_NOTE not in everything
    assert "someone else's note" not in everything


def ask(
    db: Database, world: w.World, user_id: str, *, is_admin: bool = False, individual: bool = False
) -> Report:
    return report_for(
        db.unit_of_work(), "T0001", user_id, "pgy1", world.now, is_admin=is_admin, individual=individual
    )


def test_the_cohorts_facilitators_and_workspace_admins_get_its_report(db: Database, world: w.World) -> None:
    assert ask(db, world, w.FACILITATOR).members_joined == 6
    assert ask(db, world, "U0ADMIN", is_admin=True).members_joined == 6


def test_members_and_other_cohorts_facilitators_are_refused(db: Database, world: w.World) -> None:
    for outsider in (w.MEMBER, w.OTHER_FACILITATOR):
        with pytest.raises(NotAFacilitator):
            ask(db, world, outsider)
        with pytest.raises(NotAFacilitator):
            ask(db, world, outsider, individual=True)


def test_individual_rows_are_for_the_cohorts_own_facilitators_not_for_admins(
    db: Database, world: w.World
) -> None:
    with pytest.raises(NotAFacilitator):
        ask(db, world, "U0ADMIN", is_admin=True, individual=True)
    rows = ask(db, world, w.FACILITATOR, individual=True).individual
    assert rows is not None
    assert len(rows) == 5


def test_an_unknown_cohort_is_named_with_the_closest_ones(db: Database, world: w.World) -> None:
    with pytest.raises(CohortNotFound) as unknown:
        report_for(
            db.unit_of_work(), "T0001", w.FACILITATOR, "pgy2", world.now, is_admin=False, individual=False
        )
    assert unknown.value.suggestions == ["pgy1"]


def test_asking_for_the_report_brings_this_weeks_health_up_to_now(db: Database, world: w.World) -> None:
    found = ask(db, world, w.FACILITATOR)
    with db.unit_of_work() as uow:
        fresh = uow.session.scalar(
            select(func.count()).select_from(HealthRecord).where(HealthRecord.computed_at == world.now)
        )
    assert fresh == 0  # this week's states are worked out for the report, never stored: reads never write
    assert found.states[-1].total == 2
    assert found.states[:-1] == report(db, world).states[:-1]  # earlier weeks are history


def csv_text(folder: Path) -> str:
    return "".join(path.read_text() for path in sorted(folder.glob("*.csv")))


def test_the_files_name_nobody_unless_a_facilitator_asks_for_individual_rows(
    db: Database, world: w.World, tmp_path: Path
) -> None:
    files = write_report(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        tmp_path,
        world.now,
        individual=True,
        as_user=w.FACILITATOR,
        decrypt=w.unseal,
        refresh_health=False,
    )
    assert files.csv_files["individual"].exists()
    assert w.SHARED_NOTE in csv_text(tmp_path)
    assert w.PRIVATE_NOTE not in csv_text(tmp_path) + files.index.read_text()
    anonymous = write_report(db.unit_of_work(), "T0001", "pgy1", tmp_path, world.now, refresh_health=False)
    assert "individual" not in anonymous.csv_files
    assert not (tmp_path / "individual.csv").exists()  # the earlier run's rows do not linger beside it
    shown = csv_text(tmp_path) + anonymous.index.read_text()
    for user in (*w.PEOPLE, w.FACILITATOR):
        assert user not in shown
    assert w.SHARED_NOTE not in shown


def test_writing_individual_rows_needs_a_facilitator_of_the_cohort(
    db: Database, world: w.World, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    for someone in (None, w.MEMBER, w.OTHER_FACILITATOR):
        with pytest.raises(NotAFacilitator):
            write_report(db.unit_of_work(), "T0001", "pgy1", out, world.now, individual=True, as_user=someone)
    assert not out.exists()


def test_a_callers_session_can_write_the_report_inside_its_own_transaction(
    db: Database, world: w.World, tmp_path: Path
) -> None:
    with db.unit_of_work() as uow:
        files = write_report(uow.session, "T0001", "pgy1", tmp_path, world.now, refresh_health=False)
    summary = dict(line.split(",", 1) for line in files.csv_files["summary"].read_text().splitlines()[1:])
    assert (summary["checkins_due"], summary["checkins_answered"], summary["response_rate"]) == (
        "8",
        "5",
        "0.6250",
    )
    assert summary["escalations_opened"] == "3"
    assert summary["median_first_response_hours"] == "2.00"
    assert summary["mean_first_response_hours"] == "11.00"


def test_files_with_individual_rows_are_readable_by_their_owner_only(
    db: Database, world: w.World, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("an earlier, anonymous page")
    (tmp_path / "index.html").chmod(0o644)
    files = write_report(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        tmp_path,
        world.now,
        individual=True,
        as_user=w.FACILITATOR,
        decrypt=w.unseal,
        refresh_health=False,
    )
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files.paths}
    assert set(modes.values()) == {0o600}, modes
    assert "individual.csv" in modes
