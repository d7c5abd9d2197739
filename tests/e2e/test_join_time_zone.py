"""Joining keeps the person's own time zone from Slack, so their check-ins come at the cohort's hour in it.

A UTC cohort, Mondays 9:00, weekly check-ins, offering learners and coaches; its coach has no time zone of
their own (the cohort's). Lee lives in Chicago (9:00 there is 15:00 UTC in January) and joins on their own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import time

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.models import Member, Profile
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_tick import START, moved, tick

LEE = "U0LEE"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    running.standin.add_user(LEE, tz="America/Chicago")
    running.standin.add_user("U0COACH", tz="UTC")
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.timezone, co.prompt_weekday, co.prompt_local_time = (
            PairingMode.COACH_LEARNER,
            "UTC",
            0,
            time(9),
        )
        co.starts_on, co.checkin_every_weeks = START.date(), 1
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.cohort(uow.session, ws, "peers", "Peers")  # pairs nobody: one role, joined at once
        uow.commit()
    return running


def join_as_learner(app: RunningApp) -> str:
    """`/circles join pgy1`, then "Learner" on the role choice; the answer, once the app is done."""
    app.standin.clear()
    assert app.post(app.signer.slash_command("join pgy1", user_id=LEE))[0] == 200
    app.standin.wait_for("response_url")
    app.standin.clear()
    press = app.signer.block_action(
        f"{ids.JOIN_AS_ROLE}:learner",
        user_id=LEE,
        value="pgy1:learner",
        response_url=app.standin.response_url("join"),
    )
    assert app.post(press)[0] == 200
    [answer] = app.standin.wait_for("response_url")
    app.settled()
    return json.dumps(answer.args)


def join_peers(app: RunningApp) -> str:
    """`/circles join peers`, which joins at once; the answer, once the app is done."""
    app.standin.clear()
    assert app.post(app.signer.slash_command("join peers", user_id=LEE))[0] == 200
    [answer] = app.standin.wait_for("response_url")
    app.settled()
    return json.dumps(answer.args)


def zone_of(app: RunningApp, user_id: str) -> str | None:
    with app.db.reading() as reading:
        query = select(Profile.timezone).where(Profile.slack_user_id == user_id)
        return reading.session.scalars(query).one_or_none()


def checked_in(app: RunningApp) -> list[str]:
    """Whom the check-ins sent so far went to."""
    sent = app.standin.calls("chat.postMessage")
    return sorted(c.args["channel"] for c in sent if ids.CHECKIN_RATE in str(c.args))


def test_a_join_keeps_the_slack_time_zone_and_the_check_ins_come_at_the_cohorts_hour_there(
    app: RunningApp,
) -> None:
    assert "You have joined *PGY-1* as a learner" in join_as_learner(app)
    assert app.standin.calls("views.open")  # a newcomer is still asked for a profile
    with app.db.unit_of_work() as uow:
        factories.partnership(uow.session, "U0COACH", LEE).started_at = START
        uow.commit()
    app.standin.clear()
    tick(app, moved("2027-01-11T09:05:00Z"))  # 9:00 in UTC: the coach's check-in, not Lee's
    assert checked_in(app) == ["U0COACH"]
    app.standin.clear()
    tick(app, moved("2027-01-11T15:05:00Z"))  # 9:00 in Chicago
    assert checked_in(app) == [LEE]
    assert zone_of(app, LEE) == "America/Chicago"


def test_a_newcomer_whose_time_zone_was_kept_is_asked_for_a_profile_again_on_their_next_join(
    app: RunningApp,
) -> None:
    join_as_learner(app)
    assert zone_of(app, LEE) == "America/Chicago"
    assert "You have joined *Peers* as a peer" in join_peers(app)
    forms = [json.dumps(call.args) for call in app.standin.calls("views.open")]
    assert [form for form in forms if "Welcome to Peers" in form], "no profile form opened"


def test_slack_failing_to_say_who_joined_leaves_the_join_as_it_is_and_says_why_in_the_log(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app.standin.error("users.info", "internal_error", times=None)
    with caplog.at_level(logging.WARNING):
        answer = join_peers(app)
    assert "You have joined *Peers* as a peer" in answer
    assert app.standin.calls("views.open")
    with app.db.reading() as reading:
        member = reading.session.scalars(select(Member).where(Member.slack_user_id == LEE)).one()
    assert member.status is MemberStatus.ACTIVE
    assert zone_of(app, LEE) is None  # nothing Slack did not say: the cohort's zone until it does
    assert "internal_error" in caplog.text
    assert "Traceback" not in caplog.text
