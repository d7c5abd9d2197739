"""Residents on nights: quiet hours never leave a person with no time in the week they can be reached.

Quiet hours a person ticks themselves that cover all of their working hours are refused on the form; a
cohort's quiet hours (for people who chose none) give way inside a shift they would cover whole, and
still hold for a shift they leave some time in.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.views.availability_forms import COHORTS, hours_choice
from bot.views.home import home_view
from circles.domain.availability import AbsenceKind, QuietHours, Shift, WorkPattern, parse_shift
from circles.domain.availability.cover import covers
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.availability.unreached import Unreached, unreached_for_a_week
from circles.domain.delivery import personal_hold
from circles.queries.availability import StoredReach
from circles.services.availability.pattern import Availability
from circles.services.availability.reach import as_reach
from tests.slack_limits import assert_within_limits

SUNDAY = datetime(2027, 1, 10, 12, tzinfo=UTC)
MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
NIGHT_SHIFT = "Sun-Thu 22:00-07:00"


def form(usual: str | None, *quiet: str, rota: str | None = None) -> dict[str, object]:
    def ticks(*values: str) -> dict[str, object]:
        return {ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": v} for v in values]}}

    dates = ("2027-01-18", "2027-01-24") if rota else (None, None)
    return {
        ids.HOURS_PATTERN: {ids.INPUT: {"type": "plain_text_input", "value": usual}},
        ids.HOURS_ROTA_PATTERN: {ids.INPUT: {"type": "plain_text_input", "value": rota}},
        ids.HOURS_ROTA_OFF: ticks(),
        ids.HOURS_ROTA_FROM: {ids.INPUT: {"type": "datepicker", "selected_date": dates[0]}},
        ids.HOURS_ROTA_UNTIL: {ids.INPUT: {"type": "datepicker", "selected_date": dates[1]}},
        ids.HOURS_QUIET: ticks(*quiet),
    }


def read(values: dict[str, object]) -> tuple[HoursChoice | None, dict[str, str]]:
    return hours_choice(values, SUNDAY.date())


def stored(shift: str | None, cohorts: tuple[str, ...] = ("nights",), own: str | None = None) -> StoredReach:
    pattern = None if shift is None else {"shift": parse_shift(shift).to_json(), "rota": []}
    return StoredReach("UTC", "UTC", pattern, own, cohorts)


def test_own_quiet_nights_over_a_night_shift_are_refused_saying_why_and_what_to_change() -> None:
    choice, errors = read(form(NIGHT_SHIFT, "nights"))
    assert choice is None
    said = errors[ids.HOURS_QUIET]
    assert "cover all of your working hours" in said
    assert "Sun-Thu 22:00-07:00" in said
    assert "Untick nights" in said
    assert "your cohort" in said


def test_own_weekends_over_a_weekend_shift_are_refused_and_the_quiet_hours_to_untick_are_named() -> None:
    said = read(form("Sat-Sun 08:00-20:00", "evenings", "weekends"))[1][ids.HOURS_QUIET]
    assert "Untick weekends" in said
    assert "evenings" not in said.split("Untick", 1)[1]
    both = read(form("Sat-Sun 00:00-07:00", "nights", "weekends"))[1][ids.HOURS_QUIET]
    assert "Untick nights and weekends" in both


def test_a_rota_week_of_nights_under_own_quiet_nights_is_refused_on_its_own_field() -> None:
    errors = read(form("Mon-Fri 08:00-17:00", "nights", rota="Mon-Sun 22:00-07:00"))[1]
    assert list(errors) == [ids.HOURS_ROTA_PATTERN]
    assert "cover all of these hours" in errors[ids.HOURS_ROTA_PATTERN]


def test_own_quiet_hours_that_leave_some_of_the_shift_and_the_cohorts_are_accepted() -> None:
    assert read(form("Sun-Thu 19:00-07:00", "nights"))[1] == {}
    assert read(form(NIGHT_SHIFT, "evenings", "weekends"))[1] == {}
    assert read(form(NIGHT_SHIFT, COHORTS))[1] == {}
    assert read(form(None, "evenings", "nights", "weekends"))[1] == {}


def test_a_night_workers_check_in_under_the_cohorts_default_nights_goes_when_their_shift_starts() -> None:
    night = as_reach(stored(NIGHT_SHIFT))
    assert personal_hold(night, MONDAY_9) == MONDAY_9.replace(hour=22)
    assert personal_hold(night, MONDAY_9.replace(hour=23)) is None
    assert personal_hold(night, MONDAY_9.replace(day=12, hour=6, minute=59)) is None
    assert personal_hold(night, MONDAY_9.replace(day=15, hour=23)) == MONDAY_9.replace(day=17, hour=22)


def test_the_cohorts_default_still_holds_for_a_shift_it_leaves_time_in_and_for_people_with_none() -> None:
    evenings = as_reach(stored("Sun-Thu 19:00-07:00"))
    assert personal_hold(evenings, MONDAY_9.replace(hour=23)) == MONDAY_9.replace(day=12, hour=19)
    assert personal_hold(evenings, MONDAY_9.replace(hour=20)) is None
    anytime = as_reach(stored(None))
    assert personal_hold(anytime, MONDAY_9.replace(hour=23)) == MONDAY_9.replace(day=12, hour=7)
    # Several cohorts: their quiet hours together cover the shift whole, so together they give way.
    both = as_reach(stored("Sat-Sun 20:00-23:00", ("evenings", "nights")))
    assert personal_hold(both, MONDAY_9.replace(day=16, hour=21)) is None


def test_quiet_hours_a_person_chose_themselves_are_never_set_aside() -> None:
    own = as_reach(stored(NIGHT_SHIFT, own="nights"))
    assert personal_hold(own, MONDAY_9.replace(hour=23)) != MONDAY_9.replace(hour=23)


def test_a_day_worker_on_a_rota_week_of_nights_is_reached_in_those_nights() -> None:
    pattern = {
        "shift": parse_shift("Mon-Fri 08:00-17:00").to_json(),
        "rota": [
            {
                "from": "2027-01-11",
                "until": "2027-01-17",
                "shift": parse_shift("Every day 22:00-07:00").to_json(),
            }
        ],
    }
    reach = as_reach(StoredReach("UTC", "UTC", pattern, None, ("nights",)))
    assert personal_hold(reach, MONDAY_9) == MONDAY_9.replace(hour=22)
    assert personal_hold(reach, datetime(2027, 1, 18, 9, tzinfo=UTC)) is None  # days again
    assert personal_hold(reach, datetime(2027, 1, 18, 23, tzinfo=UTC)) is not None  # and nights quiet


def test_home_gives_one_line_for_each_reason_nothing_can_reach_someone_and_still_fits() -> None:
    base = Availability(
        "UTC", SUNDAY.date(), None, None, WorkPattern(parse_shift(NIGHT_SHIFT)), QuietHours(nights=True), True
    )
    for why in Unreached:
        home = home_view([], availability=replace(base, unreached=why))
        assert_within_limits(home)
        assert json.dumps(home.to_dict()).count("Nothing can reach you") == 1
    away = replace(base, unreached=Unreached.AWAY, back_on=SUNDAY.date(), away_until=SUNDAY)
    assert "Nothing can reach you" not in json.dumps(home_view([], availability=away).to_dict())


def test_why_nothing_can_reach_someone_this_week_names_the_lasting_reason_first() -> None:
    later = SUNDAY + timedelta(days=10)
    off = {
        "shift": parse_shift("Mon-Fri 08:00-17:00").to_json(),
        "rota": [{"from": "2027-01-10", "until": "2027-01-20", "shift": None}],
    }
    assert unreached_for_a_week(as_reach(stored(NIGHT_SHIFT)), SUNDAY) is None
    assert unreached_for_a_week(as_reach(stored(NIGHT_SHIFT, own="nights")), SUNDAY) is Unreached.OWN_QUIET
    days_off = as_reach(StoredReach("UTC", "UTC", off, None, ("nights",)))
    assert unreached_for_a_week(days_off, SUNDAY) is Unreached.NOT_WORKING
    status = as_reach(replace(stored(None), status_away=(SUNDAY, later)))
    assert unreached_for_a_week(status, SUNDAY) is Unreached.SLACK
    away = as_reach(replace(stored(None), blocks=((SUNDAY, later, AbsenceKind.ROTATION),)))
    assert unreached_for_a_week(away, SUNDAY) is Unreached.AWAY
    both = as_reach(replace(stored(NIGHT_SHIFT, own="nights"), blocks=((SUNDAY, later, AbsenceKind.AWAY),)))
    assert unreached_for_a_week(both, SUNDAY) is Unreached.OWN_QUIET


QUARTER, OTHER_QUARTER = st.integers(0, 95), st.integers(0, 94)
WEEK = [datetime(2024, 1, 1) + timedelta(minutes=15 * n) for n in range(7 * 96)]  # from a Monday


@st.composite
def shift_hours(draw: st.DrawFn) -> tuple[time, time]:
    """A start and a different end, each on a quarter hour: the end is drawn from the other 95 quarters,
    not drawn from all 96 and refused when equal (which threw away nearly one example in two)."""
    start = draw(QUARTER)
    end = draw(OTHER_QUARTER)
    end += end >= start
    return time(start // 4, start % 4 * 15), time(end // 4, end % 4 * 15)


@settings(max_examples=300, deadline=None)
@given(
    days=st.frozensets(st.integers(0, 6), min_size=1),
    hours=shift_hours(),
    quiet=st.builds(QuietHours, st.booleans(), st.booleans(), st.booleans()),
)
def test_quiet_hours_cover_a_shift_exactly_when_no_quarter_hour_of_its_week_is_free(
    days: frozenset[int], hours: tuple[time, time], quiet: QuietHours
) -> None:
    start, end = hours
    shift = Shift(days, start, end)
    pattern = WorkPattern(shift)
    assert covers(quiet, shift) == all(quiet.quiet_at(t) for t in WEEK if pattern.working_at(t))
