"""Blocks that overlap, touch or follow a person's own `/circles back`: partners hear each date once, and that
the person is back when they really are, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.persistence.db import Database
from circles.services.availability.away import come_back
from tests.integration.availability.test_rotation_notices import (
    BACK,
    IMPORTED,
    LEE_ON_ROTATION,
    START,
    a_programme,
    away,
    imported,
    rota,
    say_away,
    tick,
    told,
)


def test_coming_back_during_a_rotation_after_saying_a_later_day_tells_partners_once_when_the_rotation_ends(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    say_away(db, "2027-02-12", START + timedelta(days=2))  # a Friday after the rotation's end
    come_back(db.unit_of_work(), "T0HOSP", "U0000", START + timedelta(days=3))
    tick(db, START + timedelta(days=4))
    assert {kind for _, kind, _ in told(db)} == {"partner_away"}  # the rotation still keeps Lee away

    for at in (BACK, BACK + timedelta(hours=1), datetime(2027, 2, 12, 6, tzinfo=UTC)):
        tick(db, at)
    assert sorted((to, kind) for to, kind, _ in told(db) if kind == "partner_back") == [
        ("U0001", "partner_back"),
        ("U0002", "partner_back"),
    ]


def test_a_rotation_and_leave_over_the_same_days_tell_each_partner_once(db: Database) -> None:
    a_programme(db)
    imported(
        db,
        rota("r0@hospital.org,2027-01-04,2027-01-31,rotation", "r0@hospital.org,2027-01-04,2027-01-31,leave"),
    )
    tick(db, START)
    tick(db, START + timedelta(hours=1))
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-02-01")),
        ("U0002", "partner_away", away("2027-02-01")),
    ]


def test_a_corrected_start_and_the_block_it_meant_to_replace_told_in_one_late_pass_tell_each_partner_once(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    imported(db, rota("r0@hospital.org,2027-01-05,2027-01-31,rotation"), now=IMPORTED + timedelta(days=7))
    tick(db, START + timedelta(days=2))  # the worker was down: both blocks are due in this pass
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-02-01")),
        ("U0002", "partner_away", away("2027-02-01")),
    ]
