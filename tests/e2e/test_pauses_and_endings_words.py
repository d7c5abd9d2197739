"""Pauses over real HTTP, in the words a person reads: a paused member's `/circles checkin` opens nothing
and says the check-ins wait for them and how to come back; once the cohort's last day is over, `/circles
pause` and a partnership's Pause button say the cohort has ended, and nobody is sent anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MemberStatus, PartnershipStatus
from circles.persistence.models import CheckIn, Cohort, Member, OutboxMessage, Partnership
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_endings import click, status_buttons


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    coaching_pair(running)  # `pgy1`: coach U0COACH and learner U0LEARN paired, facilitator U0FAC
    return running


def say(app: RunningApp, text: str, user: str) -> dict[str, object]:
    """Type `/circles <text>`; the private answer's arguments."""
    app.standin.clear()
    status, body = app.post(app.signer.slash_command(text, user_id=user))
    assert (status, body) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return dict(answer.args)


def ended_three_days_ago(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        today = date.today()
        cohort.starts_on, cohort.ends_on = today - timedelta(weeks=12), today - timedelta(days=3)
        uow.commit()


def outbox(app: RunningApp) -> list[str]:
    with app.db.reading() as reading:
        return list(reading.session.scalars(select(OutboxMessage.idempotency_key)))


def test_a_paused_member_typing_checkin_is_told_it_waits_for_them_and_how_to_resume(app: RunningApp) -> None:
    assert "Paused until" in json.dumps(say(app, "pause", "U0LEARN"))

    answer = say(app, "checkin", "U0LEARN")

    assert answer["response_type"] == "ephemeral"
    assert "You are paused, so your check-ins wait for you" in str(answer["text"])
    assert "`/circles resume`" in str(answer["text"])
    # The coach hears only that the check-in waits until their partner is back, never why.
    coach = str(say(app, "checkin", "U0COACH")["text"])
    assert "Check-ins wait until your partner is back" in coach
    assert "paused" not in coach
    app.settled()
    assert app.standin.calls("views.open") == []
    with app.db.reading() as reading:
        assert reading.session.scalars(select(CheckIn)).all() == []


def test_pause_after_the_last_day_says_the_cohort_has_ended_and_nobody_is_told(app: RunningApp) -> None:
    pause_button = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_PAUSE]  # status seen before the end
    ended_three_days_ago(app)

    answer = say(app, "pause 2", "U0LEARN")
    pressed = click(app, ids.PARTNERSHIP_PAUSE, "U0LEARN", pause_button)

    assert answer["response_type"] == "ephemeral"
    assert "`pgy1` has come to its end, so there is nothing to pause" in str(answer["text"])  # not "Paused"
    assert "has come to its end" in pressed
    app.settled()
    assert app.standin.calls("chat.postMessage") == []  # neither the coach nor the facilitator
    assert outbox(app) == []
    with app.db.reading() as reading:
        assert {m.status for m in reading.session.scalars(select(Member))} == {MemberStatus.ACTIVE}
        assert reading.session.scalars(select(Partnership.status)).one() is PartnershipStatus.ACTIVE
