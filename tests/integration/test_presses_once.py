"""Presses of one button for one ask, close together (a double click), are taken once; after the window
a press is a new ask, even when nothing has forgotten old requests since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.edge.once import TakeIn, press_key
from circles.persistence.db import Database

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=10)
ASKED = press_key("T0001", "U0FAY", "research_export", "pgy1")


def test_the_second_press_of_a_double_click_is_not_taken_in(db: Database) -> None:
    take_in = TakeIn(db)
    assert take_in.first_press(ASKED, NOW, WINDOW) is True
    assert take_in.first_press(ASKED, NOW + timedelta(seconds=1), WINDOW) is False


def test_a_press_after_the_window_is_a_new_ask(db: Database) -> None:
    take_in = TakeIn(db)
    assert take_in.first_press(ASKED, NOW, WINDOW) is True
    assert take_in.first_press(ASKED, NOW + WINDOW, WINDOW) is True


def test_another_cohort_or_another_person_is_another_ask(db: Database) -> None:
    take_in = TakeIn(db)
    assert take_in.first_press(ASKED, NOW, WINDOW) is True
    assert take_in.first_press(press_key("T0001", "U0FAY", "research_export", "pgy2"), NOW, WINDOW) is True
    assert take_in.first_press(press_key("T0001", "U0ADA", "research_export", "pgy1"), NOW, WINDOW) is True


def test_a_press_key_fits_its_column_whatever_the_payload_holds() -> None:
    assert len(press_key("T" * 500, "U" * 500, "a" * 500, "v" * 5000)) <= 160
