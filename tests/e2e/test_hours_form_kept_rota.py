"""Home's working hours form, sent again after a rota entry was kept: one's own quiet hours that would cover
all of that entry's hours are shown on the form, which stays open, rather than refused after it closed."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Profile
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_away import open_form

NIGHTS = {ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": "nights"}]}}
EVENINGS = {ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": "evenings"}]}}
SAVED = "Saved your working hours"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The learner has usual day hours and a week of nights coming, kept on their profile."""
    running = serve_app()
    coaching_pair(running)
    start = date.today() + timedelta(days=2)
    answer = send(
        running,
        {
            ids.HOURS_PATTERN: "Mon-Fri 09:00-17:00",
            ids.HOURS_ROTA_PATTERN: "Mon-Sun 22:00-06:00",
            ids.HOURS_ROTA_FROM: start.isoformat(),
            ids.HOURS_ROTA_UNTIL: (start + timedelta(days=6)).isoformat(),
        },
    )
    assert answer == {}
    running.settled()
    assert [entry["shift"]["start"] for entry in kept(running)[0]["rota"]] == ["22:00"]
    return running


def send(app: RunningApp, changes: dict[str, Any], quiet: dict[str, Any] | None = None) -> dict[str, Any]:
    """Open the learner's hours form on Home, fill it in and send it as Slack would; the ack's answer."""
    form = open_form(app, ids.HOME_HOURS_OPEN, "U0LEARN")
    values = submitted_values(form, changes)
    if quiet is not None:
        values[ids.HOURS_QUIET] = quiet
    app.standin.clear()
    request = app.signer.view_submission(
        ids.HOURS_VIEW, user_id="U0LEARN", values=values, private_metadata=form.get("private_metadata") or ""
    )
    status, body = app.post(request)
    assert status == 200
    return json.loads(body) if body else {}


def kept(app: RunningApp) -> tuple[Any, Any]:
    with app.db.reading() as reading:
        profile = reading.session.scalars(select(Profile).where(Profile.slack_user_id == "U0LEARN")).one()
        return profile.work_pattern, profile.quiet_hours


def dms(app: RunningApp) -> list[str]:
    return [str(call.args.get("text")) for call in app.standin.calls("chat.postMessage")]


def test_own_quiet_nights_over_a_kept_week_of_nights_are_shown_on_the_form_and_nothing_changes(
    app: RunningApp,
) -> None:
    before = kept(app)
    answer = send(app, {ids.HOURS_PATTERN: "Mon-Fri 09:00-17:00"}, quiet=NIGHTS)
    assert answer.get("response_action") == "errors", "the form closed, and the refusal came afterwards"
    problem = answer["errors"][ids.HOURS_QUIET]
    assert "cover all of your hours from" in problem
    assert "Untick nights" in problem
    app.settled()
    assert dms(app) == []  # nothing said about a form already closed
    assert kept(app) == before


def test_own_quiet_evenings_beside_a_kept_week_of_nights_are_saved(app: RunningApp) -> None:
    answer = send(app, {ids.HOURS_PATTERN: "Mon-Fri 09:00-17:00"}, quiet=EVENINGS)
    assert answer == {}
    app.settled()
    assert any(SAVED in text for text in dms(app))
    pattern, quiet = kept(app)
    assert len(pattern["rota"]) == 1
    assert "evenings" in (quiet or "")


def test_own_quiet_nights_with_day_hours_replacing_the_kept_nights_are_saved(app: RunningApp) -> None:
    start = date.today() + timedelta(days=2)
    answer = send(
        app,
        {
            ids.HOURS_PATTERN: "Mon-Fri 09:00-17:00",
            ids.HOURS_ROTA_PATTERN: "Mon-Sun 08:00-16:00",
            ids.HOURS_ROTA_FROM: start.isoformat(),
            ids.HOURS_ROTA_UNTIL: (start + timedelta(days=6)).isoformat(),
        },
        quiet=NIGHTS,
    )
    assert answer == {}
    app.settled()
    assert any(SAVED in text for text in dms(app))
    pattern, quiet = kept(app)
    assert [entry["shift"]["start"] for entry in pattern["rota"]] == ["08:00"]
    assert "nights" in (quiet or "")
