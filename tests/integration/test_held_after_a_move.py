"""Someone whose time zone changes (Slack tells Circles, after a flight east), or who sets other working
hours, while a personal message waits for their window gets it in their new window, not their old one:
the held message's window is worked out again. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.availability import parse_shift
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.vocabulary import OutboxStatus
from circles.messages import CircleAlone
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile
from circles.services.availability.pattern import choose_hours
from circles.services.cohorts.file_import import import_cohort
from circles.services.outbox.enqueue import Outgoing
from circles.services.people.profiles import SlackPerson, refresh_from_slack
from tests.dispatching import record
from tests.integration.test_cohort_import import TEAM, cohort_file, slack
from tests.integration.test_delivery_deferral import MONDAY_9, checkin_row, claim, world

IMPORT_NOW = datetime(2027, 1, 4, 12, tzinfo=UTC)

LONDON_NIGHT = datetime(
    2027, 1, 11, 23, tzinfo=UTC
)  # 23:00 in London, in the quiet hours: held until morning


def zone_of(db: Database, user: str, zone: str) -> None:
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Profile).where(Profile.slack_user_id == user)).one().timezone = zone
        uow.commit()


def status(db: Database, key: str) -> OutboxStatus:
    with db.unit_of_work() as uow:
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
        return row.status


def test_a_message_held_for_the_morning_goes_in_the_new_zones_morning_after_a_move_east(db: Database) -> None:
    world(db, night_workers=0, day_workers=1)
    zone_of(db, "U0D000", "Europe/London")
    key = checkin_row(db, "U0D000", LONDON_NIGHT)
    assert claim(db, LONDON_NIGHT) == []  # held for the morning in London

    moved = SlackPerson("Asia/Tokyo", "Dee")
    later = LONDON_NIGHT + timedelta(minutes=10)
    refresh_from_slack(db.unit_of_work(), "T0001", "U0D000", slack=moved, now=later)

    tokyo_morning = LONDON_NIGHT + timedelta(minutes=30)  # 08:30 in Tokyo, still night in London
    assert claim(db, tokyo_morning) == [key]
    assert status(db, key) is OutboxStatus.CLAIMED


def test_a_message_held_for_the_night_shift_goes_once_they_say_they_work_days(db: Database) -> None:
    world(db, night_workers=1, day_workers=0)
    key = checkin_row(db, "U0N000", MONDAY_9)
    assert claim(db, MONDAY_9) == []  # held for the night shift, at 19:00

    days = HoursChoice(parse_shift("Mon-Fri 08:00-17:00"))
    choose_hours(db.unit_of_work(), "T0001", "U0N000", days, MONDAY_9 + timedelta(hours=1))

    assert claim(db, MONDAY_9 + timedelta(hours=1, minutes=1)) == [key]


def test_a_message_held_for_someone_a_cohort_file_moves_east_is_worked_out_again(db: Database) -> None:
    cohort = cohort_file(["{email: person1@hospital.org, role: learner}"])
    people = slack(cohort)  # in Chicago
    import_cohort(db.unit_of_work(), TEAM, cohort, people, now=IMPORT_NOW)
    night = datetime(2027, 1, 12, 5, tzinfo=UTC)  # 23:00 in Chicago: held until the morning there
    alone = CircleAlone("Circle 1", "PGY-1 residents, spring", made=True, facilitated=True)
    record(db, [Outgoing("circle_alone:1", "U0P1", alone)], due_at=night, team_id=TEAM)
    assert [key for key in claim(db, night) if key.startswith("circle_alone")] == []

    moved = {key: replace(person, timezone="Asia/Tokyo") for key, person in people.items()}
    import_cohort(db.unit_of_work(), TEAM, cohort, moved, now=night + timedelta(minutes=5))
    tokyo_afternoon = night + timedelta(minutes=10)  # 14:10 in Tokyo, still night in Chicago
    assert [key for key in claim(db, tokyo_afternoon) if key.startswith("circle_alone")] == ["circle_alone:1"]
