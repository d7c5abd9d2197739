"""Someone whose time zone changes (Slack tells Circles, after a flight east), or who sets other working
hours, while a personal message waits for their window gets it in their new window, not their old one:
the held message's window is worked out again. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.availability import parse_shift
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile
from circles.services.availability.pattern import choose_hours
from circles.services.people.profiles import SlackPerson, refresh_from_slack
from tests.integration.test_delivery_deferral import MONDAY_9, checkin_row, claim, world

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
