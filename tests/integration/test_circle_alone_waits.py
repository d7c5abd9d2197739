"""The one member left in a circle the others left hears so in their own window: someone else's leaving (or
Slack deactivating them at any hour) sent it, not anything they asked, so it waits past their night and
their time away, while the facilitators' notice goes at once. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dispatch import dispatch
from circles.domain.availability.going_away import AwayRequest
from circles.persistence.db import Database
from circles.services.availability.away import go_away
from circles.services.people.left_slack import left_slack
from circles.services.people.membership import leave
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_circle_shrinks import FAC, programme

SENDING = replace(UNPACED, look_up_dnd=False)  # nobody is in Do Not Disturb in the stand-in
NEW_YORK = ZoneInfo("America/New_York")  # the cohort's clock, which its members without a zone keep
ALONE = "Nobody else is left in your circle *circle-pgy1-2* of *PGY-1 &lt;nights&gt;*"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def new_york(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK)


def received(standin: SlackStandIn, user: str) -> list[str]:
    """The texts of the messages Slack took for someone's DM."""
    return [
        c.args.get("text", "") for c in standin.calls("chat.postMessage") if c.args.get("channel") == user
    ]


def all_but_one_leave(db: Database, at: datetime) -> None:
    """Ann and Bo leave circle-pgy1-2; Cy's Slack account is deactivated: Di is left alone in it."""
    for user in ("U0ANN", "U0BO"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, at)
    left_slack(db, "T0001", "U0CY", at)


def test_left_alone_in_the_night_they_hear_of_it_in_the_morning_and_the_facilitators_at_once(
    db: Database, standin: SlackStandIn
) -> None:
    programme(db)
    deps, night = deps_for(db, standin), new_york(10, 3)  # 3:00 on a Tuesday where Di is: quiet nights

    all_but_one_leave(db, night)
    dispatch(deps, night, options=SENDING)
    dispatch(deps, new_york(10, 6, 50), options=SENDING)

    assert received(standin, "U0DI") == []
    assert any(
        text.startswith("Circle *circle-pgy1-2*") and "down to 1 member" in text
        for text in received(standin, FAC)
    )

    dispatch(deps, new_york(10, 7), options=SENDING)  # the nights are over
    [alone] = received(standin, "U0DI")
    assert alone.startswith(ALONE)
    assert "prompts have stopped" in alone


def test_left_alone_while_away_they_hear_of_it_when_they_are_back(
    db: Database, standin: SlackStandIn
) -> None:
    programme(db)
    deps = deps_for(db, standin)
    go_away(db.unit_of_work(), "T0001", "U0DI", AwayRequest(weeks=1), new_york(9, 10))  # back Monday 16th

    all_but_one_leave(db, new_york(10, 12))
    for day in range(10, 16):  # every noon while away
        dispatch(deps, new_york(day, 12), options=SENDING)
    assert received(standin, "U0DI") == []

    dispatch(deps, new_york(16, 7), options=SENDING)
    [alone] = received(standin, "U0DI")
    assert alone.startswith(ALONE)
    assert "You are still in the cohort" in alone
