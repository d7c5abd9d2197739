"""A pause and time away are two holds: the words for ending one never say check-ins carry on while the
other stands, and point to the other command when only the other holds."""

from __future__ import annotations

from datetime import date

from bot.views.availability import back_answer, resumed_answer
from bot.views.errors import friendly_message
from circles.errors import NothingToResume
from circles.services.availability.away import Back
from circles.services.people.membership import Resumed

BACK_ON = date(2027, 2, 1)


def test_back_while_still_paused_says_the_pause_holds_until_resume() -> None:
    said = back_answer(Back(was_away=True, partners=0, paused=True))
    assert "carry on" not in said  # before: "Welcome back! Check-ins and prompts carry on from here."
    assert "/circles resume" in said


def test_back_during_a_rotation_while_paused_names_both() -> None:
    said = back_answer(Back(was_away=True, partners=0, away_until=BACK_ON, paused=True))
    assert "Monday 1 February 2027" in said
    assert "/circles resume" in said


def test_back_when_paused_but_not_away_points_to_resume() -> None:
    said = back_answer(Back(was_away=False, partners=0, paused=True))
    assert "not marked away" in said
    assert "/circles resume" in said


def test_back_when_neither_says_nothing_of_resume() -> None:
    assert "/circles resume" not in back_answer(Back(was_away=False, partners=0))


def test_resume_while_still_away_names_the_day_back() -> None:
    said = resumed_answer(Resumed(["pgy1"], away_until=BACK_ON))
    assert "Monday 1 February 2027" in said  # before: "Prompts and check-ins resume in `pgy1`."
    assert "`pgy1`" in said
    assert "/circles back" in said


def test_resume_when_not_away_welcomes_them_back() -> None:
    assert resumed_answer(Resumed(["one", "two"])) == (
        "Welcome back! Prompts and check-ins resume in `one`, `two`."
    )


def test_resume_while_away_but_not_paused_points_to_back() -> None:
    said = friendly_message(NothingToResume(away_until=BACK_ON))
    assert "/circles back" in said  # before: "…nothing to resume." and no way on
    assert "Monday 1 February 2027" in said


def test_resume_when_neither_says_so_as_before() -> None:
    assert (
        friendly_message(NothingToResume()) == "You are not paused anywhere, so there is nothing to resume."
    )
