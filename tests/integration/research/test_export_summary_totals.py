"""The research summary's rows for every week judged on distinct people, and an export as of an earlier
instant leaving out the answers given after it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.research.consent import decide
from tests.integration.research.test_export import NOW, export, seed, table

SUPPRESSED = "suppressed"
FIGURES = ("members", "answered", "mean_rating")


def every_week(db: Database, now: timedelta = timedelta(minutes=1)) -> dict[str, dict[str, str]]:
    return {row["role"]: row for row in table(export(db, NOW + now), "summary") if row["week"] == "all"}


def test_two_pairs_over_three_weeks_show_no_figure_for_every_week(db: Database) -> None:
    seed(db, 2)  # 2 coaches and 2 learners: 6 person-weeks a role, 12 in all, but only 4 people
    rows = every_week(db)
    assert set(rows) == {"coach", "learner", "all"}
    assert {row[name] for row in rows.values() for name in FIGURES} == {SUPPRESSED}


def test_a_role_of_three_people_shows_no_figure_for_every_week(db: Database) -> None:
    seed(db, 6)
    for user in ("U0L000000", "U0L000001", "U0L000002"):
        decide(db.unit_of_work(), "T0001", user, "pgy1", False, NOW)
    rows = every_week(db)  # 6 coaches and 3 learners: 9 learner-weeks from 3 people
    assert {rows["learner"][name] for name in FIGURES} == {SUPPRESSED}
    assert (rows["all"]["members"], rows["all"]["answered"]) == ("27", "27")


def test_five_people_a_role_show_their_totals_and_means_for_every_week(db: Database) -> None:
    seed(db, 5)
    rows = every_week(db)
    for role, weeks in (("coach", "15"), ("learner", "15"), ("all", "30")):
        assert [rows[role][name] for name in FIGURES] == [weeks, weeks, "4.000"], role


def test_an_export_as_of_an_earlier_instant_leaves_out_answers_given_after_it(db: Database) -> None:
    seed(db, 5)
    with db.unit_of_work() as uow:
        uow.session.execute(update(CheckIn).values(answered_at=NOW + timedelta(days=3)))
        uow.commit()
    then, later = export(db, NOW), export(db, NOW + timedelta(days=4))
    checkins = table(then, "checkins")
    assert checkins
    assert not any(row["answered"] == "true" for row in checkins)
    assert not any(row["rating"] for row in checkins)
    assert {row["answered"] for row in table(then, "summary")} <= {"0", SUPPRESSED}
    assert {row["mean_rating"] for row in table(then, "summary")} == {SUPPRESSED}
    assert all(row["answered"] == "true" for row in table(later, "checkins"))
    assert ("2027-W01", "coach", "5") in {
        (row["week"], row["role"], row["answered"]) for row in table(later, "summary")
    }
