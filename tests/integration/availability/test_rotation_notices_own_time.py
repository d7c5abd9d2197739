"""A rotation and the person's own `/circles away` time make one absence: whatever a correction or a
replacing rota changes of it, partners hear each new date (or that the person is back) once, though both
blocks are due to tell them, in one pass, in two passes one after the other, or in two at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock
from circles.services.availability import notices
from circles.services.availability.away import come_back
from circles.services.availability.notices import tell_partners_of_blocks
from circles.services.availability.rotations import import_rotations, rotation_cohort
from tests.databases import meanwhile
from tests.integration.availability.test_rotation_notices import (
    LEE_ON_ROTATION,
    START,
    a_programme,
    imported,
    rota,
    say_away,
    tick,
    told,
)

SAID = START + timedelta(days=2)  # Lee says they are back on 2027-01-20, during the rotation to 01-31
REPLACED = START + timedelta(days=5)
KIMS_ROTA = rota("r2@hospital.org,2027-01-04,2027-01-31,rotation")  # Lee's row is gone


def replaced(db: Database, data: bytes, now: datetime) -> None:
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    rows = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rows.emails(), cohort.members, None)
    blocks, _ = assign_people(rows, found, refused)
    import_rotations(db.unit_of_work(), cohort, blocks, now=now, replace=True)


def heard_by_coach(db: Database) -> list[str]:
    """What the coach heard of Lee, in order: a date, or "back"."""
    return [
        args.get("until", "back") for to, _, args in told(db) if to == "U0001" and "U0000" in args.values()
    ]


@pytest.fixture
def on_rotation_said_earlier(db: Database) -> Database:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)  # partners hear 2027-02-01
    say_away(db, "2027-01-20", SAID)  # nothing new: the rotation keeps Lee away longer
    return db


@pytest.fixture
def one_block_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each pass takes one due block: the other of the same absence is due in the next (as past 500)."""
    monkeypatch.setattr(notices, "BLOCKS_PER_PASS", 1)


def test_a_rotation_ended_by_a_replacing_rota_during_their_own_time_tells_partners_the_date_once(
    on_rotation_said_earlier: Database,
) -> None:
    db = on_rotation_said_earlier
    replaced(db, KIMS_ROTA, REPLACED)
    tick(db, REPLACED)
    tick(db, REPLACED + timedelta(hours=1))
    assert heard_by_coach(db) == ["2027-02-01", "2027-01-20"]
    peer = [args["until"] for to, _, args in told(db) if to == "U0002" and "U0000" in args.values()]
    assert peer == ["2027-02-01", "2027-01-20"]


def test_the_same_told_once_when_the_two_blocks_are_due_in_two_passes(
    on_rotation_said_earlier: Database, one_block_a_pass: None
) -> None:
    db = on_rotation_said_earlier
    replaced(db, KIMS_ROTA, REPLACED)
    for minutes in (0, 1, 2, 3):
        tick(db, REPLACED + timedelta(minutes=minutes))
    assert heard_by_coach(db) == ["2027-02-01", "2027-01-20"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_same_told_once_when_two_passes_at_once_each_take_one_block(
    on_rotation_said_earlier: Database, one_block_a_pass: None
) -> None:
    db = on_rotation_said_earlier
    replaced(db, KIMS_ROTA, REPLACED)
    with db.unit_of_work() as uow:  # Kim's new block told of already: Lee's two are all that is due
        uow.session.execute(
            update(AwayBlock).where(AwayBlock.slack_user_id == "U0002").values(notice_due_at=None)
        )
        uow.commit()

    def a_pass() -> int:
        with db.unit_of_work() as uow:
            count = tell_partners_of_blocks(uow.session, REPLACED)
            uow.commit()
            return count

    # The other pass runs while this one has taken a block and reads the person's blocks.
    with meanwhile(db, "SELECT away_blocks.workspace_id, away_blocks.slack_user_id", a_pass) as other:
        a_pass()
    assert not any(isinstance(outcome, BaseException) for outcome in other)
    for minutes in (1, 2, 3):
        tick(db, REPLACED + timedelta(minutes=minutes))
    assert heard_by_coach(db) == ["2027-02-01", "2027-01-20"]


def test_coming_back_after_the_replacing_rota_tells_partners_once_that_they_are_back(
    on_rotation_said_earlier: Database,
) -> None:
    db = on_rotation_said_earlier
    replaced(db, KIMS_ROTA, REPLACED)
    tick(db, REPLACED)
    back = come_back(db.unit_of_work(), "T0HOSP", "U0000", REPLACED + timedelta(days=1))
    assert back.partners == 2
    tick(db, REPLACED + timedelta(days=1, hours=1))
    assert heard_by_coach(db) == ["2027-02-01", "2027-01-20", "back"]


def test_their_own_time_over_first_then_the_rotation_ended_tells_partners_once_that_they_are_back(
    on_rotation_said_earlier: Database,
) -> None:
    db = on_rotation_said_earlier
    later = datetime(2027, 1, 22, 15, tzinfo=UTC)  # their own time ended on the 20th
    tick(db, later - timedelta(days=1))
    replaced(db, KIMS_ROTA, later)
    tick(db, later)
    tick(db, later + timedelta(hours=1))
    assert heard_by_coach(db) == ["2027-02-01", "back"]


@pytest.mark.parametrize(
    ("end", "heard"),
    [
        ("2027-02-14", ["2027-02-01", "2027-02-15"]),  # extended
        ("2027-01-24", ["2027-02-01", "2027-01-25"]),  # shortened, still past their own day
        ("2027-01-15", ["2027-02-01", "2027-01-20"]),  # shortened to before their own day
    ],
)
def test_a_rotation_corrected_during_their_own_time_tells_partners_the_new_day_once(
    on_rotation_said_earlier: Database, end: str, heard: list[str]
) -> None:
    db = on_rotation_said_earlier
    corrected = rota(f"r0@hospital.org,2027-01-04,{end},rotation")
    replaced(db, corrected, REPLACED)
    for minutes in (0, 60, 120):
        tick(db, REPLACED + timedelta(minutes=minutes))
    assert heard_by_coach(db) == heard
