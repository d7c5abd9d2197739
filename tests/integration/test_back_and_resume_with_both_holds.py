"""A pause and time away are two holds, on SQLite and PostgreSQL: ending one while the other stands says
so. `/circles back` while still paused tells no partner the person is back (check-ins stay held until the
pause ends); `/circles resume` while still away gives the day they are back; each points to the other
command when only the other hold stands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability.going_away import AwayRequest
from circles.errors import NothingToResume
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.availability.away import come_back, go_away
from circles.services.people.membership import pause, resume_pause
from tests import escalation_world as w
from tests.escalation_world import World
from tests.integration.escalations.conftest import world

__all__ = ["world"]  # the fixture: a coach and a learner in a running pair


def told_back(db: Database) -> list[str]:
    with db.reading() as reading:
        keys = reading.session.scalars(select(OutboxMessage.idempotency_key)).all()
    return [key for key in keys if key.startswith("back:")]


def test_back_while_still_paused_tells_no_partner_and_says_the_pause_holds(
    db: Database, world: World
) -> None:
    pause(db.unit_of_work(), "T0001", "U0LEARN", None, w.at(0))
    go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=2), w.at(0))

    back = come_back(db.unit_of_work(), "T0001", "U0LEARN", w.at(1))

    assert (back.was_away, back.partners, back.paused) == (True, 0, True)
    assert told_back(db) == []  # before: the coach heard "check-ins carry on from here"


def test_back_once_a_dated_pause_has_run_out_tells_the_partner(db: Database, world: World) -> None:
    pause(db.unit_of_work(), "T0001", "U0LEARN", 1, w.at(0))
    go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=3), w.at(0))

    back = come_back(db.unit_of_work(), "T0001", "U0LEARN", w.at(8))

    assert (back.was_away, back.partners, back.paused) == (True, 1, False)
    assert len(told_back(db)) == 1


def test_back_while_paused_but_not_away_says_the_pause_holds(db: Database, world: World) -> None:
    pause(db.unit_of_work(), "T0001", "U0LEARN", None, w.at(0))

    back = come_back(db.unit_of_work(), "T0001", "U0LEARN", w.at(1))

    assert (back.was_away, back.paused) == (False, True)


def test_back_when_neither_away_nor_paused_says_neither(db: Database, world: World) -> None:
    back = come_back(db.unit_of_work(), "T0001", "U0LEARN", w.at(1))

    assert (back.was_away, back.paused) == (False, False)


def test_resume_while_still_away_gives_the_day_they_are_back(db: Database, world: World) -> None:
    pause(db.unit_of_work(), "T0001", "U0LEARN", None, w.at(0))
    away = go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=2), w.at(0))

    resumed = resume_pause(db.unit_of_work(), "T0001", "U0LEARN", w.at(1))

    assert resumed.slugs == ["pgy1"]
    assert resumed.away_until == away.back_on  # before: "Prompts and check-ins resume in `pgy1`."


def test_resume_when_not_away_gives_no_day(db: Database, world: World) -> None:
    pause(db.unit_of_work(), "T0001", "U0LEARN", None, w.at(0))
    go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=1), w.at(0))

    resumed = resume_pause(db.unit_of_work(), "T0001", "U0LEARN", w.at(8))  # the week away is over

    assert (resumed.slugs, resumed.away_until) == (["pgy1"], None)


def test_resume_while_away_but_not_paused_gives_the_day_they_are_back(db: Database, world: World) -> None:
    away = go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=2), w.at(0))

    with pytest.raises(NothingToResume) as raised:
        resume_pause(db.unit_of_work(), "T0001", "U0LEARN", w.at(1))

    assert raised.value.away_until == away.back_on


def test_resume_when_neither_paused_nor_away_gives_no_day(db: Database, world: World) -> None:
    with pytest.raises(NothingToResume) as raised:
        resume_pause(db.unit_of_work(), "T0001", "U0LEARN", w.at(1) + timedelta(hours=1))

    assert raised.value.away_until is None
