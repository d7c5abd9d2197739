"""Away and back through the real HTTP app: `/circles away`, `/circles back`, and Home's forms."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.availability import AbsenceKind
from circles.persistence.models import AwayBlock, Profile
from standin import Call
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp, coaching_pair


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    coaching_pair(running, reachable_coach=True)
    return running


def command(app: RunningApp, text: str, user: str) -> str:
    app.standin.clear()
    status, body = app.post(app.signer.slash_command(text, user_id=user))
    assert (status, body) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert answer.args["response_type"] == "ephemeral"
    return str(answer.args["text"])


def told(app: RunningApp, words: str) -> Call:
    [call] = app.standin.wait_for(
        "chat.postMessage", timeout=10, predicate=lambda c: words in str(c.args.get("text"))
    )
    return call


def blocks(app: RunningApp) -> list[AwayBlock]:
    with app.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(AwayBlock)))


def test_away_for_two_weeks_is_confirmed_privately_and_the_partner_hears_until_when_not_why(
    app: RunningApp,
) -> None:
    answer = command(app, "away 2 weeks", "U0LEARN")
    assert "You're away until" in answer
    assert "1 partner is told" in answer
    notice = told(app, "is away until")
    assert notice.args["channel"] in {"U0COACH", *_dm_channels(app, "U0COACH")}
    assert notice.args["text"].startswith("<@U0LEARN> is away until")
    for word in ("leave", "rotation", "sick", "reason"):
        assert word not in json.dumps(notice.args).lower()
    [block] = blocks(app)
    assert (block.slack_user_id, block.kind) == ("U0LEARN", AbsenceKind.AWAY)

    assert "Welcome back" in command(app, "back", "U0LEARN")
    told(app, "<@U0LEARN> is back")
    [ended] = blocks(app)
    assert ended.ends_at < block.ends_at  # back early: the block ends when they said so


def test_a_malformed_away_gets_short_help_and_changes_nothing(app: RunningApp) -> None:
    answer = command(app, "away soon", "U0LEARN")
    assert "/circles away &lt;weeks&gt; weeks" in answer
    assert "until YYYY-MM-DD" in answer
    assert "1 to 26" in command(app, "away 30 weeks", "U0LEARN")
    assert blocks(app) == []
    assert "not marked away" in command(app, "back", "U0LEARN")


@pytest.mark.parametrize("day", ["2027-02-30", "2027-13-01"])
def test_a_day_that_is_not_on_the_calendar_is_named_as_such_and_changes_nothing(
    app: RunningApp, day: str
) -> None:
    answer = command(app, f"away until {day}", "U0LEARN")
    assert answer.startswith(f"`{day}` is not a day on the calendar.")
    assert "until YYYY-MM-DD" in answer
    assert blocks(app) == []


def open_form(app: RunningApp, action: str, user: str) -> dict[str, Any]:
    app.standin.clear()
    home = {"type": "home", "blocks": []}
    app.post(app.signer.block_action(action, user_id=user, value="x", trigger_id=f"t.{action}", view=home))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    assert opened.args["trigger_id"] == f"t.{action}"
    view: dict[str, Any] = opened.args["view"]
    return view


def submit(app: RunningApp, callback: str, user: str, values: dict[str, Any]) -> dict[str, Any]:
    app.standin.clear()
    status, body = app.post(app.signer.view_submission(callback, user_id=user, values=values))
    assert status == 200
    return json.loads(body) if body else {}


def test_the_home_away_form_shows_mistakes_on_its_fields_then_keeps_the_block_and_refreshes_home(
    app: RunningApp,
) -> None:
    form = open_form(app, ids.HOME_AWAY_OPEN, "U0LEARN")
    assert form["callback_id"] == ids.AWAY_VIEW
    refused = submit(app, ids.AWAY_VIEW, "U0LEARN", submitted_values(form, {ids.AWAY_WEEKS: "40"}))
    assert refused["response_action"] == "errors"
    assert ids.AWAY_WEEKS in refused["errors"]
    assert blocks(app) == []
    assert submit(app, ids.AWAY_VIEW, "U0LEARN", submitted_values(form, {ids.AWAY_WEEKS: "3"})) == {}
    told(app, "You're away until")
    [published] = app.standin.wait_for("views.publish", timeout=10)
    assert ids.HOME_BACK in json.dumps(published.args["view"])
    assert [b.slack_user_id for b in blocks(app)] == ["U0LEARN"]
    told(app, "<@U0LEARN> is away until")


def test_the_home_hours_form_keeps_a_night_pattern_and_own_quiet_hours(app: RunningApp) -> None:
    form = open_form(app, ids.HOME_HOURS_OPEN, "U0LEARN")
    assert form["callback_id"] == ids.HOURS_VIEW
    values = submitted_values(form, {ids.HOURS_PATTERN: "whenever"})
    values[ids.HOURS_QUIET] = {ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": "weekends"}]}}
    refused = submit(app, ids.HOURS_VIEW, "U0LEARN", values)
    assert list(refused["errors"]) == [ids.HOURS_PATTERN]
    values[ids.HOURS_PATTERN] = {ids.INPUT: {"type": "plain_text_input", "value": "Sun-Thu 19:00-07:00"}}
    assert submit(app, ids.HOURS_VIEW, "U0LEARN", values) == {}
    told(app, "Saved your working hours")
    [published] = app.standin.wait_for("views.publish", timeout=10)
    assert "Sun-Thu 19:00-07:00" in json.dumps(published.args["view"])
    with app.db.unit_of_work() as uow:
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0LEARN")).one()
        assert profile.quiet_hours == "weekends"
        assert profile.work_pattern is not None
        assert profile.work_pattern["shift"] == {"days": "01236", "start": "19:00", "end": "07:00"}


def _dm_channels(app: RunningApp, user: str) -> set[str]:
    opened = app.standin.calls("conversations.open", predicate=lambda c: c.args.get("users") == user)
    return {c.response["channel"]["id"] for c in opened}
