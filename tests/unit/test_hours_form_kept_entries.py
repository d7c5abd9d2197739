"""The working hours form carries the rota entries kept from before, within Slack's limit, and checks one's
own quiet hours over those not over yet on the person's own date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot import ids
from bot.views.availability_forms import hours_modal, hours_submitted
from circles.domain.availability import QuietHours, RotaEntry, WorkPattern, parse_shift
from circles.domain.availability.own_hours import MAX_ROTA
from circles.services.availability.pattern import Availability

TODAY = date(2027, 1, 13)
DAYS = parse_shift("Mon-Fri 09:00-17:00")
NIGHTS = parse_shift("Mon,Tue,Wed,Thu,Fri,Sat,Sun 22:00-06:00")


def availability(
    rota: tuple[RotaEntry, ...], timezone: str = "America/Argentina/ComodRivadavia", today: date = TODAY
) -> Availability:
    return Availability(timezone, today, None, None, WorkPattern(DAYS, rota), QuietHours(), own_quiet=False)


def sent(form: dict[str, Any], quiet: str) -> dict[str, Any]:
    """The form as Slack sends it back: usual day hours, and one's own quiet hours ticked."""
    values = {
        ids.HOURS_PATTERN: {ids.INPUT: {"type": "plain_text_input", "value": "Mon-Fri 09:00-17:00"}},
        ids.HOURS_QUIET: {ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": quiet}]}},
    }
    return {"private_metadata": form.get("private_metadata"), "state": {"values": values}}


def test_the_longest_rota_kept_fits_slacks_limit_and_its_nights_are_pointed_out_on_the_quiet_hours() -> None:
    rota = tuple(
        RotaEntry(TODAY + timedelta(days=7 * n), TODAY + timedelta(days=7 * n + 6), NIGHTS)
        for n in range(MAX_ROTA)
    )
    form = hours_modal(availability(rota)).to_dict()
    assert len(form["private_metadata"]) <= 3000
    now = datetime(2027, 1, 13, 12, tzinfo=UTC)
    choice, errors = hours_submitted(sent(form, "nights"), now)
    assert choice is None
    assert f"your hours from {TODAY.isoformat()} to" in errors[ids.HOURS_QUIET]
    choice, errors = hours_submitted(sent(form, "evenings"), now)
    assert (choice is not None, errors) == (True, {})


def test_an_entry_over_on_the_persons_own_date_is_not_held_against_them() -> None:
    ended_yesterday_there = RotaEntry(TODAY - timedelta(days=6), TODAY - timedelta(days=1), NIGHTS)
    yesterday = TODAY - timedelta(days=1)  # the server's date when the form opened
    form = hours_modal(availability((ended_yesterday_there,), "Pacific/Kiritimati", yesterday)).to_dict()
    # 12:00 UTC on the 12th is already the 13th at UTC+14: the week of nights is over for them.
    choice, errors = hours_submitted(sent(form, "nights"), datetime(2027, 1, 12, 12, tzinfo=UTC))
    assert (choice is not None, errors) == (True, {})
    # Still the 12th at UTC-3: it is not over yet.
    far_west = hours_modal(availability((ended_yesterday_there,), today=yesterday)).to_dict()
    choice, errors = hours_submitted(sent(far_west, "nights"), datetime(2027, 1, 12, 12, tzinfo=UTC))
    assert choice is None
    assert ids.HOURS_QUIET in errors


def test_a_form_opened_without_the_kept_entries_leaves_them_to_the_save() -> None:
    form = hours_modal(availability((RotaEntry(TODAY, TODAY + timedelta(days=6), NIGHTS),))).to_dict()
    for metadata in (None, "", "not json", '{"tz": "Nowhere/Else", "pattern": 7}'):
        choice, errors = hours_submitted(
            {**sent(form, "nights"), "private_metadata": metadata}, datetime(2027, 1, 13, 12, tzinfo=UTC)
        )
        assert (choice is not None, errors) == (True, {})
