"""Home's availability section and its forms, read back and held to Slack's limits at their largest."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import ids
from bot.views.availability import away_answer, back_answer, partner_away_notice
from bot.views.availability_forms import COHORTS, away_modal, away_request, hours_choice, hours_modal
from bot.views.cohort_config import config_modal
from bot.views.cohort_config_submission import read_submission
from bot.views.home import home_view
from circles.domain.availability import QuietHours, RotaEntry, WorkPattern, parse_shift
from circles.domain.availability.blackout_dates import MAX_BLACKOUTS, Blackout
from circles.domain.availability.going_away import AwayRequest
from circles.domain.availability.own_hours import MAX_ROTA, HoursChoice
from circles.domain.cohort_rules import CohortSettings
from circles.messages import PartnerAway
from circles.services.availability.away import Away, Back
from circles.services.availability.pattern import Availability
from tests.slack_extremes import COHORT_NAME, COHORTS_PER_FACILITATOR, PARTNERS_PER_COACH, cohort_names
from tests.slack_limits import assert_within_limits
from tests.unit.test_limits_membership import statuses

TODAY = date(2027, 1, 13)
NIGHTS = parse_shift("Sun-Thu 19:00-07:00")
BUSIEST = WorkPattern(
    NIGHTS,
    tuple(
        RotaEntry(TODAY + timedelta(days=n), TODAY + timedelta(days=n), None if n % 2 else NIGHTS)
        for n in range(MAX_ROTA)
    ),
)


def availability(back_on: date | None = None, **changes: object) -> Availability:
    fields: dict[str, object] = {
        "timezone": "America/Argentina/ComodRivadavia",
        "today": TODAY,
        "away_until": datetime(2027, 1, 27, 3, tzinfo=UTC) if back_on else None,
        "back_on": back_on,
        "pattern": BUSIEST,
        "quiet": QuietHours(evenings=True, nights=True, weekends=True),
        "own_quiet": True,
    }
    return Availability(**{**fields, **changes})  # type: ignore[arg-type]


def shown(surface: object) -> str:
    return json.dumps(surface.to_dict() if hasattr(surface, "to_dict") else surface, ensure_ascii=False)


def test_home_shows_when_someone_is_back_their_hours_and_whose_quiet_hours_hold() -> None:
    away = shown(home_view([], availability=availability(date(2027, 1, 27))))
    assert "away until *Wednesday 27 January 2027*" in away
    assert "Sun-Thu 19:00-07:00" in away
    assert "evenings, nights, weekends (your own)" in away
    assert ids.HOME_BACK in away
    here = shown(home_view([], availability=availability(pattern=None, own_quiet=False)))
    assert "away until" not in here
    assert ids.HOME_BACK not in here
    assert "Working hours: any time" in here
    assert "(your cohort’s)" in here


@settings(max_examples=10, deadline=None)
@given(name=cohort_names, partners=st.integers(0, PARTNERS_PER_COACH))
@example(name="<" * COHORT_NAME, partners=PARTNERS_PER_COACH)
def test_a_members_home_with_the_busiest_availability_still_fits(name: str, partners: int) -> None:
    mine = availability(date(2027, 1, 27))
    home = home_view(statuses(COHORTS_PER_FACILITATOR, name, partners), availability=mine)
    assert_within_limits(home, typed=[name])
    assert sum(1 for b in home.to_dict()["blocks"] if b.get("block_id") == ids.HOME_AVAILABILITY_BLOCK) == 1


def test_the_forms_fit_at_their_largest() -> None:
    for mine in (availability(date(2027, 1, 27)), availability(pattern=None, own_quiet=False)):
        assert_within_limits(away_modal(mine))
        assert_within_limits(hours_modal(mine))
    settings_ = CohortSettings(
        name="x",
        blackout_dates=tuple(
            Blackout(TODAY + timedelta(n), TODAY + timedelta(n + 91)) for n in range(MAX_BLACKOUTS)
        ),
    )
    assert_within_limits(config_modal("s" * 40, settings_, ["U0FAC"], ["default"]))


def test_answers_and_the_partners_notice_say_until_when_and_never_why() -> None:
    said = away_answer(Away(date(2027, 1, 27), datetime(2027, 1, 27, 6, tzinfo=UTC), 2))
    assert "Wednesday 27 January 2027" in said
    assert "2 partners are told" in said
    assert "never why" in said
    assert "nothing changed" in back_answer(Back(was_away=False, partners=0))
    notice = partner_away_notice(PartnerAway("U0LEE", "2027-01-27"))
    assert notice.text.startswith("<@U0LEE> is away until Wednesday 27 January 2027")
    assert "check-ins with them pause until then" in notice.text


def away_form(weeks: str | None = None, until: str | None = None) -> dict[str, object]:
    return {
        ids.AWAY_WEEKS: {ids.INPUT: {"type": "number_input", "value": weeks}},
        ids.AWAY_UNTIL: {ids.INPUT: {"type": "datepicker", "selected_date": until}},
    }


def test_the_away_form_takes_weeks_or_a_date_and_says_on_the_field_what_is_wrong() -> None:
    assert away_request(away_form("2"), TODAY) == (AwayRequest(weeks=2), {})
    assert away_request(away_form(until="2027-02-01"), TODAY) == (AwayRequest(until=date(2027, 2, 1)), {})
    assert ids.AWAY_WEEKS in away_request(away_form(), TODAY)[1]
    assert ids.AWAY_UNTIL in away_request(away_form("2", "2027-02-01"), TODAY)[1]
    assert "1 to 26" in away_request(away_form("27"), TODAY)[1][ids.AWAY_WEEKS]
    assert "whole number" in away_request(away_form("2.5"), TODAY)[1][ids.AWAY_WEEKS]
    assert "after today" in away_request(away_form(until="2027-01-12"), TODAY)[1][ids.AWAY_UNTIL]
    # The server's today may be the person's tomorrow: the form lets it through, the service decides.
    assert away_request(away_form(until="2027-01-13"), TODAY) == (AwayRequest(until=TODAY), {})
    assert away_request({}, TODAY)[0] is None


def hours_form(
    usual: str | None = None,
    rota: str | None = None,
    off: bool = False,
    dates: tuple[str | None, str | None] = (None, None),
    quiet: tuple[str, ...] = (COHORTS,),
) -> dict[str, object]:
    def ticks(*values: str) -> dict[str, object]:
        return {ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": v} for v in values]}}

    return {
        ids.HOURS_PATTERN: {ids.INPUT: {"type": "plain_text_input", "value": usual}},
        ids.HOURS_ROTA_PATTERN: {ids.INPUT: {"type": "plain_text_input", "value": rota}},
        ids.HOURS_ROTA_OFF: ticks(*(["off"] if off else [])),
        ids.HOURS_ROTA_FROM: {ids.INPUT: {"type": "datepicker", "selected_date": dates[0]}},
        ids.HOURS_ROTA_UNTIL: {ids.INPUT: {"type": "datepicker", "selected_date": dates[1]}},
        ids.HOURS_QUIET: ticks(*quiet),
    }


def test_the_hours_form_reads_usual_hours_a_rota_entry_and_quiet_hours() -> None:
    week = ("2027-01-18", "2027-01-24")
    choice, errors = hours_form_read(
        hours_form("Sun-Thu 19:00-07:00", off=True, dates=week, quiet=("nights",))
    )
    assert errors == {}
    assert choice == HoursChoice(
        NIGHTS, RotaEntry(date(2027, 1, 18), date(2027, 1, 24), None), QuietHours(nights=True)
    )
    assert hours_form_read(hours_form())[0] == HoursChoice()
    assert hours_form_read(hours_form(quiet=()))[0] == HoursChoice(quiet=QuietHours())


def test_the_hours_form_says_on_each_field_what_is_wrong() -> None:
    assert ids.HOURS_PATTERN in hours_form_read(hours_form("whenever"))[1]
    assert ids.HOURS_PATTERN in hours_form_read(hours_form(off=True, dates=("2027-01-18", "2027-01-19")))[1]
    assert (
        ids.HOURS_ROTA_UNTIL
        in hours_form_read(hours_form("Mon-Fri 08:00-17:00", off=True, dates=("2027-01-18", None)))[1]
    )
    both = hours_form("Mon-Fri 08:00-17:00", "Mon 08:00-12:00", off=True, dates=("2027-01-18", "2027-01-19"))
    assert ids.HOURS_ROTA_OFF in hours_form_read(both)[1]
    assert ids.HOURS_QUIET in hours_form_read(hours_form(quiet=(COHORTS, "nights")))[1]
    over = hours_form("Mon-Fri 08:00-17:00", off=True, dates=("2027-01-01", "2027-01-02"))
    assert "over already" in hours_form_read(over)[1][ids.HOURS_ROTA_UNTIL]


def test_a_24_hour_shift_is_explained_not_called_badly_written_and_whole_days_are_kept() -> None:
    same = hours_form_read(hours_form("Sat 07:00-07:00"))[1][ids.HOURS_PATTERN]
    assert "start and end at the same time" in same
    assert "00:00-24:00" in same
    assert "Write it like" not in same
    choice, errors = hours_form_read(hours_form("Sat 00:00-24:00"))
    assert errors == {}
    assert choice is not None
    assert choice.shift is not None
    saved = availability(pattern=WorkPattern(choice.shift), own_quiet=False)
    assert "Working hours: Sat 00:00-24:00" in shown(home_view([], availability=saved))
    assert '"initial_value": "Sat 00:00-24:00"' in shown(hours_modal(saved))


def hours_form_read(values: dict[str, object]) -> tuple[HoursChoice | None, dict[str, str]]:
    return hours_choice(values, TODAY)


def test_the_cohort_form_reads_quiet_hours_and_blackout_lines_and_points_at_a_bad_line() -> None:
    view = config_modal("pgy1", CohortSettings(name="PGY-1"), ["U0FAC"], ["default"]).to_dict()
    values = {
        b["block_id"]: {"value": {"type": "plain_text_input", "value": b["element"].get("initial_value")}}
        for b in view["blocks"]
        if b["type"] == "input"
    }
    values[ids.COHORT_QUIET_HOURS] = {
        "value": {"type": "checkboxes", "selected_options": [{"value": "weekends"}]}
    }
    values[ids.COHORT_BLACKOUT_DATES] = {
        "value": {"type": "plain_text_input", "value": "2027-03-01..2027-03-05"}
    }
    values["name"] = {"value": {"type": "plain_text_input", "value": "PGY-1"}}
    settings_, _, errors = read_submission(values)
    assert errors.keys() <= {
        "pairing_mode",
        "meeting_place",
        "prompt_weekday",
        "prompt_track",
        "facilitators",
    }
    assert settings_.quiet_hours == QuietHours(weekends=True)
    assert settings_.blackout_dates == (Blackout(date(2027, 3, 1), date(2027, 3, 5)),)
    values[ids.COHORT_BLACKOUT_DATES] = {"value": {"type": "plain_text_input", "value": "exam week"}}
    assert "Line 1" in read_submission(values)[2][ids.COHORT_BLACKOUT_DATES]
    del values[ids.COHORT_QUIET_HOURS]  # a form sent before the field existed keeps the default
    assert read_submission(values)[0].quiet_hours == QuietHours(nights=True)


def test_back_during_a_rotation_says_it_runs_until_its_end_and_who_can_change_it() -> None:
    said = back_answer(Back(was_away=True, partners=0, away_until=date(2027, 2, 1)))
    assert "Monday 1 February 2027" in said
    assert "facilitator" in said
    assert "Welcome back" not in said
