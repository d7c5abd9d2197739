"""A facilitator sets a cohort's quiet hours and blackout dates from its settings form, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Cohort
from standin.forms import submitted_values
from tests import factories
from tests.e2e.conftest import RunningApp


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAC")
        uow.commit()
    running.standin.add_user("U0FAC")
    return running


def settings_form(app: RunningApp) -> dict[str, Any]:
    app.post(app.signer.slash_command("cohort config pgy1", user_id="U0FAC"))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    app.standin.clear()
    view: dict[str, Any] = opened.args["view"]
    return view


def send(app: RunningApp, view: dict[str, Any], blackouts: str, quiet: list[str]) -> dict[str, Any]:
    values = submitted_values(view, {ids.COHORT_BLACKOUT_DATES: blackouts})
    ticked = [{"value": name} for name in quiet]
    values[ids.COHORT_QUIET_HOURS] = {"value": {"type": "checkboxes", "selected_options": ticked}}
    request = app.signer.view_submission(
        ids.COHORT_CONFIG_VIEW, user_id="U0FAC", values=values, private_metadata=view["private_metadata"]
    )
    status, body = app.post(request)
    assert status == 200
    return json.loads(body) if body else {}


def stored(app: RunningApp) -> tuple[str, list[dict[str, str]]]:
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        return cohort.quiet_hours, cohort.blackout_dates


def test_blackout_lines_that_do_not_read_are_shown_on_the_field_and_nothing_is_saved(app: RunningApp) -> None:
    form = settings_form(app)
    answer = send(app, form, "2027-03-01..2027-03-05\nexam week", ["weekends"])
    assert answer["response_action"] == "errors"
    assert "Line 2" in answer["errors"][ids.COHORT_BLACKOUT_DATES]
    assert stored(app) == ("nights", [])


def test_quiet_hours_and_blackout_dates_are_saved_and_the_form_opens_with_them(app: RunningApp) -> None:
    form = settings_form(app)
    assert send(app, form, "2027-03-01..2027-03-05\n2027-12-25", ["evenings", "weekends"])[
        "response_action"
    ] == ("update")
    [saved] = app.standin.wait_for("views.update", timeout=10)
    assert "Saved the settings" in json.dumps(saved.args["view"])
    assert stored(app) == (
        "evenings,weekends",
        [{"from": "2027-03-01", "until": "2027-03-05"}, {"from": "2027-12-25", "until": "2027-12-25"}],
    )
    again = {b.get("block_id"): b for b in settings_form(app)["blocks"]}
    assert again[ids.COHORT_BLACKOUT_DATES]["element"]["initial_value"] == (
        "2027-03-01..2027-03-05\n2027-12-25..2027-12-25"
    )
    ticked = [o["value"] for o in again[ids.COHORT_QUIET_HOURS]["element"]["initial_options"]]
    assert ticked == ["evenings", "weekends"]
