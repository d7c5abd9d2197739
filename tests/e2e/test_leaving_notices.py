"""`/circles leave` over HTTP: the former partner hears that their partnership ended from the dispatcher,
through the outbox like any other partnership change, once, even when Slack fails the first try."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from standin import Call
from tests.e2e.conftest import RunningApp, coaching_pair


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    coaching_pair(running, reachable_coach=True)
    return running


def leave(app: RunningApp) -> str:
    app.standin.clear()
    assert app.post(app.signer.slash_command("leave pgy1", user_id="U0LEARN")) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args)


def delivered_to_coach(call: Call) -> bool:
    return call.args.get("channel") == "U0COACH" and bool((call.response or {}).get("ok"))


def notices(app: RunningApp) -> list[OutboxMessage]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage)).all()
    return [row for row in rows if row.payload["template"] == "partnership_changed"]


def test_the_former_partner_hears_from_the_dispatcher_that_the_partnership_ended_not_who_or_why(
    app: RunningApp,
) -> None:
    assert "You have left `pgy1`" in leave(app)
    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=delivered_to_coach)
    assert "Your partnership in *PGY-1* has ended" in told.args["text"]
    assert "U0LEARN" not in json.dumps(told.args)
    app.settled()
    [row] = notices(app)
    assert (row.channel, row.status) == ("U0COACH", OutboxStatus.SENT)
    # The leaver's own answer went through the response URL; nobody else was posted to.
    assert {c.args.get("channel") for c in app.standin.calls("chat.postMessage")} == {"U0COACH"}


def test_a_notice_slack_fails_the_first_time_is_sent_again_and_only_once(app: RunningApp) -> None:
    app.standin.error("chat.postMessage", "internal_error", times=1)
    leave(app)
    app.standin.wait_for("chat.postMessage", timeout=20, predicate=delivered_to_coach)
    app.settled()
    tries = app.standin.calls("chat.postMessage", predicate=lambda c: c.args.get("channel") == "U0COACH")
    assert [bool((c.response or {}).get("ok")) for c in tries] == [False, True]
    [row] = notices(app)
    assert row.status is OutboxStatus.SENT


def test_leaving_again_tells_the_former_partner_nothing_more(app: RunningApp) -> None:
    leave(app)
    app.standin.wait_for("chat.postMessage", timeout=10, predicate=delivered_to_coach)
    app.settled()
    again = leave(app)
    app.settled()
    assert "You have left" not in again
    assert app.standin.calls("chat.postMessage") == []
    assert len(notices(app)) == 1
