"""Hundreds opening Home at once (an announcement "open the app's Home"): everyone gets a Home, and
nobody pressing a button or typing to the app waits behind them."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bot import ids
from circles.domain.vocabulary import Role
from standin import SlackStandIn
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_typed_messages import typed

FLOOD = [f"U0HOME{n:03d}" for n in range(40)]


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Lee is a member of PGY-1, which Fay runs; what the app records is sent at once."""
    running = serve_app(sending=True)
    for user in ("U0LEE", "U0FAY", *FLOOD):
        running.standin.add_user(user)
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.LEARNER)
        uow.commit()
    return running


def published_to(standin: SlackStandIn) -> set[str]:
    return {call.args["user_id"] for call in standin.calls("views.publish") if call.status == 200}


def wait_for_homes(standin: SlackStandIn, users: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not set(users) <= published_to(standin) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(users) - published_to(standin) == set()


def test_a_flood_of_home_openings_keeps_neither_a_form_nor_a_typed_answer_waiting(app: RunningApp) -> None:
    app.standin.set_latency("views.publish", 0.3)
    for user in FLOOD:
        assert app.post(app.signer.app_home_opened(user))[0] == 200
    assert app.post(app.signer.event(typed()))[0] == 200
    typed_at = time.time()
    press = app.signer.block_action(
        ids.SUPPORT_OPEN, user_id="U0LEE", value="c:pgy1", channel_id="D0LEEDM", trigger_id="1.2.flood"
    )
    assert app.post(press)[0] == 200
    pressed_at = time.time()
    [opened] = app.standin.wait_for("views.open", timeout=10)
    [answer] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert opened.at - pressed_at < 2.0  # the trigger_id lives three seconds
    assert (answer.args["channel"], answer.at - typed_at < 1.0) == ("U0LEE", True)
    app.standin.set_latency("views.publish", 0.0)
    wait_for_homes(app.standin, FLOOD, timeout=10)


def test_everyone_opening_home_past_slacks_rate_limit_gets_a_home_and_no_message_about_it(
    app: RunningApp,
) -> None:
    app.standin.rate_limit("views.publish", per_second=2)  # eight people: four seconds' worth
    users = FLOOD[:8]
    for user in users:
        assert app.post(app.signer.app_home_opened(user))[0] == 200
    wait_for_homes(app.standin, users, timeout=10)
    app.settled()
    published = [call.args["user_id"] for call in app.standin.calls("views.publish") if call.status == 200]
    assert sorted(published) == users  # one Home each
    assert app.standin.calls("chat.postMessage") == []  # nobody is told to try again in a minute
