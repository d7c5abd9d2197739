"""Residents on nights, as stored: a cohort's quiet nights give way to a night shift they would cover
whole, own quiet hours that would never let anything through are refused, and Home says why someone
cannot be reached for the week."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.views.home import home_view
from circles.domain.availability import QuietHours, RotaEntry, WorkPattern, parse_shift
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.delivery import personal_hold
from circles.errors import InvalidWorkingHours
from circles.persistence.db import Database
from circles.persistence.models import Profile
from circles.services.availability.pattern import availability_of, choose_hours
from circles.services.availability.reach import reaches
from tests import factories
from tests.databases import counted

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
NIGHT_SHIFT = parse_shift("Sun-Thu 22:00-07:00")
DAYS = parse_shift("Mon-Fri 08:00-17:00")
WEEK_OF_NIGHTS = RotaEntry(date(2027, 1, 18), date(2027, 1, 24), parse_shift("Every day 22:00-07:00"))


def seed(db: Database) -> int:
    """Cohort `pgy1` keeps quiet nights (the default); U0NIGHT works nights, U0DAY days, U0ANY any hour,
    U0OWN nights under quiet nights of their own (kept before the form refused it)."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1")
        for user in ("U0NIGHT", "U0DAY", "U0ANY", "U0OWN"):
            factories.member(uow.session, co, user, flush=False)
        shifts = {"U0NIGHT": NIGHT_SHIFT, "U0DAY": parse_shift("Mon-Fri 08:00-17:00"), "U0OWN": NIGHT_SHIFT}
        for user, shift in shifts.items():
            factories.profile(uow.session, ws, user, "UTC", flush=False).work_pattern = WorkPattern(
                shift
            ).to_json()
        own = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0OWN")).one()
        own.quiet_hours = "nights"
        uow.commit()
        return ws.id


def test_a_night_worker_under_the_cohorts_quiet_nights_is_reached_in_their_shift_read_in_three_queries(
    db: Database,
) -> None:
    ws_id = seed(db)
    people = [(ws_id, user) for user in ("U0NIGHT", "U0DAY", "U0ANY", "U0OWN")]
    with db.reading() as uow, counted(db) as statements:
        found = reaches(uow.session, people, MONDAY_9)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3
    night, day, anytime, own = (found[p] for p in people)
    assert personal_hold(night, MONDAY_9) == MONDAY_9.replace(hour=22)
    assert personal_hold(night, MONDAY_9.replace(hour=23, minute=30)) is None
    # The cohort's quiet nights still hold for those whose hours they leave time in.
    assert personal_hold(day, MONDAY_9) is None
    assert personal_hold(anytime, MONDAY_9.replace(hour=23)) == MONDAY_9.replace(day=12, hour=7)
    # Quiet nights of one's own are theirs: never set aside.
    assert personal_hold(own, MONDAY_9.replace(hour=23)) != MONDAY_9.replace(hour=23)


def test_own_quiet_nights_over_a_night_shift_are_refused_and_nothing_is_kept(db: Database) -> None:
    seed(db)
    with pytest.raises(InvalidWorkingHours) as refused:
        choose_hours(
            db.unit_of_work(),
            "T0001",
            "U0NIGHT",
            HoursChoice(NIGHT_SHIFT, None, QuietHours(nights=True)),
            MONDAY_9,
        )
    assert "cover all of your working hours" in str(refused.value)
    kept = availability_of(db.reading(), "T0001", "U0NIGHT", MONDAY_9)
    assert (kept.own_quiet, kept.quiet) == (False, QuietHours(nights=True))


def home_of(db: Database, user: str) -> str:
    mine = availability_of(db.reading(), "T0001", user, MONDAY_9)
    return json.dumps(home_view([], availability=mine).to_dict(), ensure_ascii=False)


def test_home_says_in_one_line_why_nothing_can_reach_someone_this_week(db: Database) -> None:
    seed(db)
    assert "Nothing can reach you: your quiet hours cover all of your working hours" in home_of(db, "U0OWN")
    night = home_of(db, "U0NIGHT")
    assert "Nothing can reach you" not in night
    assert "nights (your cohort’s, not in your working hours" in night
    day = home_of(db, "U0DAY")
    assert "Nothing can reach you" not in day
    assert "nights (your cohort’s)" in day


def test_own_quiet_nights_over_a_week_of_nights_kept_from_before_are_refused_naming_its_dates(
    db: Database,
) -> None:
    ws_id = seed(db)
    choose_hours(db.unit_of_work(), "T0001", "U0DAY", HoursChoice(DAYS, WEEK_OF_NIGHTS), MONDAY_9)
    # Later, the same usual hours and no new entry: only quiet nights of their own are ticked.
    with pytest.raises(InvalidWorkingHours) as refused:
        choose_hours(
            db.unit_of_work(), "T0001", "U0DAY", HoursChoice(DAYS, None, QuietHours(nights=True)), MONDAY_9
        )
    assert (
        "Your quiet hours (nights) cover all of your hours from 2027-01-18 to 2027-01-24 "
        "(Every day 22:00-07:00), so no message could reach you on those dates."
    ) in str(refused.value)
    kept = availability_of(db.reading(), "T0001", "U0DAY", MONDAY_9)
    assert kept.own_quiet is False
    assert kept.pattern is not None
    assert kept.pattern.rota == (WEEK_OF_NIGHTS,)
    with db.reading() as uow:
        reach = reaches(uow.session, [(ws_id, "U0DAY")], MONDAY_9)[(ws_id, "U0DAY")]
    first_night = datetime(2027, 1, 18, 23, tzinfo=UTC)
    assert personal_hold(reach, first_night) is None  # a message in their first night reaches them then


def test_quiet_hours_leaving_time_in_a_kept_week_of_nights_or_after_it_is_replaced_or_over_are_kept(
    db: Database,
) -> None:
    seed(db)
    choose_hours(db.unit_of_work(), "T0001", "U0DAY", HoursChoice(DAYS, WEEK_OF_NIGHTS), MONDAY_9)

    def quiet(choice: HoursChoice, now: datetime = MONDAY_9) -> tuple[QuietHours, tuple[RotaEntry, ...]]:
        chosen = choose_hours(db.unit_of_work(), "T0001", "U0DAY", choice, now)
        assert chosen.own_quiet
        assert chosen.pattern is not None
        return chosen.quiet, chosen.pattern.rota

    evenings = QuietHours(evenings=True)
    assert quiet(HoursChoice(DAYS, None, evenings)) == (evenings, (WEEK_OF_NIGHTS,))
    days_after_all = RotaEntry(WEEK_OF_NIGHTS.starts_on, WEEK_OF_NIGHTS.ends_on, DAYS)
    nights = QuietHours(nights=True)
    assert quiet(HoursChoice(DAYS, days_after_all, nights)) == (nights, (days_after_all,))

    choose_hours(db.unit_of_work(), "T0001", "U0DAY", HoursChoice(DAYS, WEEK_OF_NIGHTS), MONDAY_9)
    week_after = MONDAY_9 + timedelta(weeks=2)  # the week of nights is over: no longer kept
    assert quiet(HoursChoice(DAYS, None, nights), week_after) == (nights, ())
