"""`/circles`, the home tab and /healthz over real HTTP, signed exactly as Slack signs."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select, text

from bot.views.errors import SOMETHING_WENT_WRONG
from circles.persistence.models import Workspace
from standin import Call
from standin.defaults import DEFAULT_TEAM_ID
from standin.functions import function_executed_event
from tests import factories
from tests.e2e.conftest import RunningApp

MANIFEST = Path(__file__).parents[2] / "manifest.yml"


def answer_text(call: Call) -> str:
    return json.dumps(call.args, ensure_ascii=False)


def ask(running: RunningApp, text: str, user_id: str = "U0MEMBER") -> Call:
    """Type `/circles <text>` and return the private answer that came back on the response_url."""
    status, body = running.post(running.signer.slash_command(text, user_id=user_id))
    assert status == 200
    assert body == b""  # acknowledged at once; the answer follows on the response_url
    [answer] = running.standin.wait_for("response_url")
    running.standin.clear()
    return answer


@pytest.mark.parametrize("text", ["help", "", "  HELP "])
def test_help_answers_privately_with_the_member_commands(running: RunningApp, text: str) -> None:
    answer = ask(running, text)
    assert answer.args["response_type"] == "ephemeral"
    shown = answer_text(answer)
    assert "/circles join &lt;cohort&gt;" in shown
    assert "/circles checkin" in shown
    assert "For facilitators" not in shown


def test_an_unknown_subcommand_gets_short_help_that_quotes_it_safely(running: RunningApp) -> None:
    answer = ask(running, "dance <!channel>")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["blocks"][0]["text"]["text"].startswith("I don't know `dance`")
    assert "<!channel>" not in answer_text(answer)


def test_people_in_circles_admins_also_see_the_facilitator_commands(
    serve_app: Callable[..., RunningApp],
) -> None:
    running = serve_app(circles_admins=frozenset({"U0LEAD"}))
    shown = answer_text(ask(running, "help", user_id="U0LEAD"))
    assert "For facilitators" in shown
    assert "/circles cohort create &lt;slug&gt; &lt;name…&gt;" in shown
    assert "For facilitators" not in answer_text(ask(running, "help", user_id="U0MEMBER"))


def test_workspace_admins_see_the_facilitator_commands(running: RunningApp) -> None:
    running.standin.add_user("U0OWNER", is_owner=True)
    running.standin.add_user("U0MEMBER")
    assert "For facilitators" in answer_text(ask(running, "help", user_id="U0OWNER"))
    assert "For facilitators" not in answer_text(ask(running, "help", user_id="U0MEMBER"))


def test_help_still_answers_when_slack_cannot_say_who_is_an_admin(running: RunningApp) -> None:
    running.standin.add_user("U0OWNER", is_owner=True)
    running.standin.fail("users.info", status=503, times=None)
    answer = ask(running, "help", user_id="U0OWNER")
    assert "/circles join &lt;cohort&gt;" in answer_text(answer)
    assert "For facilitators" not in answer_text(answer)


def test_a_rate_limited_lookup_is_retried_after_retry_after(running: RunningApp) -> None:
    running.standin.add_user("U0OWNER", is_owner=True)
    running.standin.fail("users.info", status=429, retry_after=1, times=1)
    answer = ask(running, "help", user_id="U0OWNER")
    assert "For facilitators" in answer_text(answer)


def test_the_command_is_acknowledged_before_slow_work_finishes(running: RunningApp) -> None:
    running.standin.set_latency("users.info", 1.5)
    started = time.monotonic()
    status, _ = running.post(running.signer.slash_command("help", user_id="U0MEMBER"))
    acknowledged = time.monotonic()
    assert status == 200
    [answer] = running.standin.wait_for("response_url", timeout=10)
    assert acknowledged - started < 1.5  # the ack did not wait for users.info
    assert answer.at > started + 1.5  # the answer did


def test_requests_without_a_valid_fresh_signature_get_401_and_change_nothing(running: RunningApp) -> None:
    signer = running.signer
    unsigned = signer.slash_command("help", user_id="U0MEMBER").without_signature()
    forged = signer.slash_command("help", user_id="U0MEMBER").wrong_signature()
    stale = signer.slash_command("help", user_id="U0MEMBER", timestamp=int(time.time()) - 6 * 60)
    home = signer.app_home_opened("U0MEMBER").wrong_signature()
    for request in (unsigned, forged, stale, home):
        status, _ = running.post(request)
        assert status == 401
    running.settled()  # a wrongly accepted request has done what it would do
    assert running.standin.calls() == []
    with running.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Workspace)).all() == []


def test_healthz_answers_while_the_database_does(running: RunningApp) -> None:
    assert running.get("/healthz") == (200, b"ok\nmessages failed for good in the last 24 h: 0\n")


def test_healthz_reports_a_database_that_does_not_answer(
    serve_app: Callable[..., RunningApp], tmp_path: Path
) -> None:
    running = serve_app(database_url=f"sqlite:///{tmp_path}/missing/folder/circles.db", migrate=False)
    assert running.get("/healthz") == (503, b"unhealthy: database file missing\n")


def test_other_paths_are_not_found(running: RunningApp) -> None:
    assert running.get("/slack/install")[0] == 404  # OAuth pages exist only in OAuth mode
    assert running.get("/")[0] == 404


def test_opening_the_home_tab_publishes_the_home_view(running: RunningApp) -> None:
    status, _ = running.post(running.signer.app_home_opened("U0MEMBER"))
    assert status == 200
    [published] = running.standin.wait_for("views.publish")
    assert published.args["user_id"] == "U0MEMBER"
    assert published.args["view"]["type"] == "home"
    assert "You are not in a cohort yet" in answer_text(published)


def test_opening_the_messages_tab_publishes_nothing(running: RunningApp) -> None:
    status, _ = running.post(running.signer.app_home_opened("U0MEMBER", tab="messages"))
    assert status == 200
    running.settled()
    assert running.standin.calls("views.publish") == []


def test_every_event_the_manifest_subscribes_to_is_acknowledged(running: RunningApp) -> None:
    events = yaml.safe_load(MANIFEST.read_text())["settings"]["event_subscriptions"]["bot_events"]
    bodies: dict[str, dict[str, Any]] = {
        "app_home_opened": {"type": "app_home_opened", "user": "U0MEMBER", "tab": "home", "channel": "D0APP"},
        "user_change": {"type": "user_change", "user": {"id": "U0MEMBER", "tz": "Europe/London"}},
        "app_uninstalled": {"type": "app_uninstalled"},
        "tokens_revoked": {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}},
        "team_access_revoked": {"type": "team_access_revoked", "team_ids": ["T0LOST"]},
        "team_access_granted": {"type": "team_access_granted", "team_ids": ["T0LOST"]},
        "message.im": {"type": "message", "channel_type": "im", "channel": "D0APP", "user": "U0MEMBER"},
        "app_mention": {"type": "app_mention", "channel": "C0CIRCLE", "user": "U0MEMBER", "text": "<@U0BOT>"},
        "function_executed": function_executed_event("add_to_cohort", {}, app_id=running.signer.api_app_id),
    }
    assert set(events) == set(bodies)
    for name in events:
        status, _ = running.post(running.signer.event(bodies[name]))
        assert status == 200, name


def test_url_verification_is_answered_with_the_challenge(running: RunningApp) -> None:
    status, body = running.post(
        running.signer.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    )
    assert status == 200
    assert json.loads(body)["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


def test_a_failure_gets_a_kind_private_answer_and_the_log_gets_the_trace_but_not_the_text(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    with running.db.unit_of_work() as uow:  # an installed workspace, whose facilitators table has gone
        factories.workspace(uow.session, DEFAULT_TEAM_ID)
        uow.commit()
    with running.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE facilitators"))
    with caplog.at_level(logging.INFO):
        answer = ask(running, "my coach and I are not getting on")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"] == SOMETHING_WENT_WRONG
    failures = [r for r in caplog.records if r.name == "circles.errors"]
    assert failures
    assert failures[0].exc_info is not None  # the traceback is in the log
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "not getting on" not in logged  # what people type stays out of the log
