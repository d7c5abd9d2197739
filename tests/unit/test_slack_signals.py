"""Slack's own signals read as absences: an out-of-office status with an expiry, Do Not Disturb, a snooze."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.gateway.dnd import dnd_until
from bot.listeners.events.lifecycle import status_of
from circles.services.availability.signals import SlackStatus, away_status

NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


@pytest.mark.parametrize(
    ("emoji", "text"),
    [
        (":palm_tree:", ""),
        (":airplane:", "Back Monday"),
        (":face_with_thermometer:", ""),
        (":no_entry:", ""),
        (":hospital:", ""),
        ("", "Out of office until the 14th"),
        ("", "OOO"),
        ("", "On leave"),
        (":sunny:", "vacation!"),
        ("", "Holiday"),
    ],
)
def test_an_away_status_with_an_expiry_holds_messages_until_it_expires(emoji: str, text: str) -> None:
    status = SlackStatus(emoji, text, int(LATER.timestamp()))
    assert away_status(status, NOW) == (NOW, LATER)


def test_an_away_status_without_an_expiry_never_holds_anything() -> None:
    assert away_status(SlackStatus(":palm_tree:", "On leave", 0), NOW) is None


@pytest.mark.parametrize(("emoji", "text"), [(":coffee:", "In a meeting"), ("", "booked solid"), ("", "")])
def test_other_statuses_hold_nothing(emoji: str, text: str) -> None:
    assert away_status(SlackStatus(emoji, text, int(LATER.timestamp())), NOW) is None


def test_an_expired_status_holds_nothing() -> None:
    assert away_status(SlackStatus(":palm_tree:", "", int(NOW.timestamp()) - 60), NOW) is None


def test_a_profile_with_odd_status_fields_reads_as_no_status() -> None:
    assert status_of({"status_emoji": 7, "status_text": None, "status_expiration": "soon"}) == SlackStatus()
    assert status_of({"status_expiration": True}) == SlackStatus()


def test_do_not_disturb_running_now_holds_until_it_ends() -> None:
    info = {
        "dnd_enabled": True,
        "next_dnd_start_ts": NOW.timestamp() - 60,
        "next_dnd_end_ts": LATER.timestamp(),
    }
    assert dnd_until(info, NOW) == LATER


def test_do_not_disturb_that_starts_later_holds_nothing_now() -> None:
    info = {
        "dnd_enabled": True,
        "next_dnd_start_ts": LATER.timestamp(),
        "next_dnd_end_ts": LATER.timestamp() + 9,
    }
    assert dnd_until(info, NOW) is None


def test_a_snooze_holds_until_it_ends() -> None:
    snooze_end = NOW + timedelta(minutes=30)
    info = {"dnd_enabled": False, "snooze_enabled": True, "snooze_endtime": int(snooze_end.timestamp())}
    assert dnd_until(info, NOW) == snooze_end


@pytest.mark.parametrize("info", [None, "x", {}, {"dnd_enabled": True, "next_dnd_start_ts": "a"}])
def test_an_odd_answer_reads_as_no_do_not_disturb(info: object) -> None:
    assert dnd_until(info, NOW) is None
