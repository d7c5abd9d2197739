"""Working hours and quiet hours a person chooses, and a cohort's quiet hours and blackout dates, kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from circles.domain.availability import QuietHours, RotaEntry, WorkPattern, parse_shift
from circles.domain.availability.blackout_dates import Blackout
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.cohort_file import parse_cohort_file
from circles.errors import InvalidCohortSettings, InvalidWorkingHours
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Profile
from circles.services.availability.pattern import availability_of, choose_hours
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.cohorts.file_import import as_given, import_cohort
from tests import factories

NOW = datetime(2027, 1, 13, 15, tzinfo=UTC)
NIGHTS = parse_shift("Sun-Thu 19:00-07:00")


def seed(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1")
        co.quiet_hours, co.plan_due_at = "evenings", NOW
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, "U0LEE")
        uow.commit()


def plan_due(db: Database) -> datetime | None:
    with db.reading() as uow:
        return uow.session.scalars(select(Cohort.plan_due_at)).one()


def test_hours_are_kept_on_a_new_profile_and_the_cohort_is_planned_again(db: Database) -> None:
    seed(db)
    before = availability_of(db.reading(), "T0001", "U0LEE", NOW)
    assert (before.pattern, before.quiet, before.own_quiet) == (None, QuietHours(evenings=True), False)
    off = RotaEntry(date(2027, 1, 18), date(2027, 1, 24), None)
    chosen = choose_hours(
        db.unit_of_work(), "T0001", "U0LEE", HoursChoice(NIGHTS, off, QuietHours(weekends=True)), NOW
    )
    assert chosen.pattern == WorkPattern(NIGHTS, (off,))
    assert (chosen.quiet, chosen.own_quiet) == (QuietHours(weekends=True), True)
    assert availability_of(db.reading(), "T0001", "U0LEE", NOW) == chosen
    assert plan_due(db) is None
    with db.reading() as uow:
        profile = uow.session.scalars(select(Profile)).one()
        assert profile.quiet_hours == "weekends"
    back = choose_hours(db.unit_of_work(), "T0001", "U0LEE", HoursChoice(), NOW)
    assert (back.pattern, back.quiet, back.own_quiet) == (None, QuietHours(evenings=True), False)


def test_a_rota_entry_without_usual_hours_or_already_over_is_refused(db: Database) -> None:
    seed(db)
    off = RotaEntry(date(2027, 1, 18), date(2027, 1, 24), None)
    with pytest.raises(InvalidWorkingHours):
        choose_hours(db.unit_of_work(), "T0001", "U0LEE", HoursChoice(None, off), NOW)
    over = RotaEntry(date(2027, 1, 1), date(2027, 1, 2), None)
    with pytest.raises(InvalidWorkingHours):
        choose_hours(db.unit_of_work(), "T0001", "U0LEE", HoursChoice(NIGHTS, over), NOW)
    with db.reading() as uow:
        assert uow.session.scalars(select(Profile)).all() == []


def test_a_cohorts_quiet_hours_and_blackout_dates_are_kept_and_read_back(db: Database) -> None:
    seed(db)
    config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0FAC", is_admin=False)
    assert config.settings.quiet_hours == QuietHours(evenings=True)
    exams = (Blackout(date(2027, 3, 1), date(2027, 3, 5)), Blackout(date(2027, 12, 24), date(2027, 12, 26)))
    wanted = config.settings.with_changes(
        quiet_hours=QuietHours(nights=True, weekends=True), blackout_dates=exams
    )
    configure_cohort(
        db.unit_of_work(), "T0001", "pgy1", wanted, ["U0FAC"], user_id="U0FAC", is_admin=False, now=NOW
    )
    with db.reading() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        assert cohort.quiet_hours == "nights,weekends"
        assert cohort.blackout_dates == [
            {"from": "2027-03-01", "until": "2027-03-05"},
            {"from": "2027-12-24", "until": "2027-12-26"},
        ]
        assert cohort.plan_due_at is None
    again = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0FAC", is_admin=False)
    assert again.settings == wanted


def test_blackout_dates_out_of_order_are_refused_and_nothing_changes(db: Database) -> None:
    seed(db)
    config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0FAC", is_admin=False)
    wrong = config.settings.with_changes(blackout_dates=(Blackout(date(2027, 3, 5), date(2027, 3, 1)),))
    with pytest.raises(InvalidCohortSettings) as refused:
        configure_cohort(
            db.unit_of_work(), "T0001", "pgy1", wrong, ["U0FAC"], user_id="U0FAC", is_admin=False, now=NOW
        )
    assert set(refused.value.problems) == {"blackout_dates"}
    assert cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0FAC", is_admin=False) == config


def test_a_cohort_file_import_keeps_the_quiet_hours_and_blackout_dates_the_form_set(db: Database) -> None:
    seed(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.quiet_hours, cohort.blackout_dates = (
            "weekends",
            [{"from": "2027-03-01", "until": "2027-03-05"}],
        )
        uow.commit()
    settings = "  name: PGY-1 spring\n  facilitators: [U0FAC]\n  circle_size: {max: 8}\n"
    text = f"cohort:\n  slug: pgy1\n{settings}members: []\n"
    file = parse_cohort_file(text, "cohort.yml")
    report = import_cohort(db.unit_of_work(), "T0001", file, as_given(file), now=NOW)
    assert [(c.subject, c.detail) for c in report.changes] == [("circle_size.max", "6 → 8")]
    with db.reading() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        assert (cohort.circle_max_size, cohort.quiet_hours) == (8, "weekends")
        assert cohort.blackout_dates == [{"from": "2027-03-01", "until": "2027-03-05"}]
