"""A learner's request for a coach that closes unanswered, through the real HTTP app and the Slack stand-in:
the learner hears it from the dispatcher, privately, once; the coach's answer is never told."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import Workspace
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_profiles_directory import (
    COHORT,
    click,
    command,
    direct_messages,
    request_coach,
    requests,
    seed,
)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BEN=Role.COACH)
    with running.db.unit_of_work() as uow:  # the learner is reachable whatever the hour the test runs
        ws = uow.session.scalars(select(Workspace)).one()
        factories.profile(uow.session, ws, "U0LEARN", "UTC").quiet_hours = ""
        uow.commit()
    return running


def to_learner(call: Call) -> bool:
    return call.args.get("channel") == "U0LEARN" and "has closed" in call.args.get("text", "")


def test_a_coach_leaving_the_cohort_has_the_learner_waiting_on_them_told_once(app: RunningApp) -> None:
    request_coach(app, "U0LEARN", "U0ADA")
    direct_messages(app, "U0ADA")
    assert "You have left" in command(app, f"leave {COHORT}", "U0ADA").args["text"]

    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=to_learner)
    text = told.args["text"]
    assert "Your request to work with <@U0ADA>" in text
    assert "no longer take on partners there" in text
    assert "`/circles coaches`" in text
    app.settled()
    assert len([c for c in app.standin.calls("chat.postMessage") if to_learner(c)]) == 1


def test_a_coach_accepting_while_the_learner_is_on_a_pause_has_them_told_how_to_ask_again(
    app: RunningApp,
) -> None:
    request_coach(app, "U0LEARN", "U0ADA")
    [asked] = direct_messages(app, "U0ADA")
    assert "Paused" in command(app, "pause", "U0LEARN").args["text"]  # before the coach answers

    click(app, ids.REQUEST_ACCEPT, "U0ADA", str(requests(app)[0].id), channel_id=asked.args["channel"])

    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=to_learner)
    assert "while you are on a pause" in told.args["text"]
    assert "accept" not in json.dumps(told.args).lower()  # the coach's answer stays theirs
    app.settled()
    assert [c.args["channel"] for c in app.standin.calls("chat.postMessage")] == ["U0LEARN"]


def test_a_coach_declining_while_the_learner_is_on_a_pause_never_has_them_told_the_answer(
    app: RunningApp,
) -> None:
    request_coach(app, "U0LEARN", "U0ADA")
    [asked] = direct_messages(app, "U0ADA")
    assert "Paused" in command(app, "pause", "U0LEARN").args["text"]  # before the coach answers

    click(app, ids.REQUEST_DECLINE, "U0ADA", str(requests(app)[0].id), channel_id=asked.args["channel"])

    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=to_learner)
    assert "while you are on a pause" in told.args["text"]
    shown = json.dumps(told.args).lower()
    assert "declin" not in shown  # the coach's answer stays theirs
    assert "not about you" not in shown
    app.settled()
    assert [c.args["channel"] for c in app.standin.calls("chat.postMessage")] == ["U0LEARN"]


def test_a_learner_asking_a_second_coach_can_withdraw_the_request_that_waits_and_ask_again(
    app: RunningApp,
) -> None:
    request_coach(app, "U0LEARN", "U0ADA")
    [asked] = direct_messages(app, "U0ADA")
    app.standin.clear()
    refused = request_coach(app, "U0LEARN", "U0BEN")
    assert "already have a request waiting" in json.dumps(refused.args)
    [withdraw] = [e for b in refused.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert withdraw["action_id"] == ids.REQUEST_WITHDRAW

    app.standin.clear()
    click(app, ids.REQUEST_WITHDRAW, "U0LEARN", withdraw["value"], channel_id="C0GENERAL01")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "Your request to <@U0ADA>" in answer.args["text"]
    assert "is withdrawn" in answer.args["text"]
    assert app.standin.calls("chat.postMessage") == []  # the coach is not told
    click(app, ids.REQUEST_WITHDRAW, "U0LEARN", withdraw["value"], channel_id="C0GENERAL01")  # again
    [again] = app.standin.wait_for("response_url", 2, timeout=10)[1:]
    assert "No request of yours waits" in again.args["text"]
    app.standin.clear()
    assert "asked <@U0BEN> privately" in json.dumps(request_coach(app, "U0LEARN", "U0BEN").args)

    app.standin.clear()
    first = min(r.id for r in requests(app))
    click(app, ids.REQUEST_ACCEPT, "U0ADA", str(first), channel_id=asked.args["channel"])
    [closed] = app.standin.wait_for("response_url", timeout=10)
    assert "no longer looking for a partner" in json.dumps(closed.args)
    app.settled()
    assert app.standin.calls("chat.postMessage", predicate=to_learner) == []  # withdrawn by themselves


def test_status_shows_the_learner_whom_they_asked_and_the_coach_that_a_request_waits(app: RunningApp) -> None:
    request_coach(app, "U0LEARN", "U0ADA")
    learner = json.dumps(command(app, "status", "U0LEARN").args)
    assert "You asked <@U0ADA> <!date^" in learner
    assert "who has not answered yet" in learner
    assert "No coach yet" not in learner
    coach = json.dumps(command(app, "status", "U0ADA").args)
    assert "A learner asked to work with you and waits for your answer." in coach
    assert "U0LEARN" not in coach  # who asked is in the request itself, not repeated here
    assert "A learner asked" not in json.dumps(command(app, "status", "U0BEN").args)

    app.standin.clear()
    click(app, ids.REQUEST_ACCEPT, "U0ADA", str(requests(app)[0].id), channel_id="C0GENERAL01")
    app.standin.wait_for("response_url", timeout=10)
    assert "You asked" not in json.dumps(command(app, "status", "U0LEARN").args)
    assert "A learner asked" not in json.dumps(command(app, "status", "U0ADA").args)


def test_a_withdrawn_request_is_redrawn_as_closed_in_the_coachs_dm_without_its_buttons(
    app: RunningApp,
) -> None:
    request_coach(app, "U0LEARN", "U0ADA")
    [asked] = direct_messages(app, "U0ADA")
    assert "actions" in [b["type"] for b in asked.args["blocks"]]  # Accept and Decline
    app.standin.clear()
    refused = request_coach(app, "U0LEARN", "U0BEN")
    [withdraw] = [e for b in refused.args["blocks"] if b["type"] == "actions" for e in b["elements"]]

    click(app, ids.REQUEST_WITHDRAW, "U0LEARN", withdraw["value"], channel_id="C0GENERAL01")

    [redrawn] = app.standin.wait_for("chat.update", timeout=10)
    assert (redrawn.args["channel"], redrawn.args["ts"]) == (asked.response["channel"], asked.response["ts"])
    assert "The request from <@U0LEARN> to work with you" in redrawn.args["text"]
    assert "has closed: there is nothing to answer." in redrawn.args["text"]
    assert "actions" not in json.dumps(redrawn.args.get("blocks"))
    app.settled()
    assert len(app.standin.calls("chat.update")) == 1
    assert app.standin.calls("chat.postMessage", predicate=lambda c: c.args["channel"] != "U0LEARN") == []
