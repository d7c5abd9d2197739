"""A facilitator who closes the settings form while it says "One moment…": the form can no longer show
how the save ended, so they hear it in their DM, and never that nothing changed when it was saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Cohort
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import open_settings

ADMIN = "U0ADMIN"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app(circles_admins=frozenset({ADMIN}))


def new_cohorts_form(app: RunningApp) -> dict[str, Any]:
    """The settings form of a cohort the admin has just created, as it opens."""
    app.post(app.signer.slash_command("cohort create pgy1 PGY-1", user_id=ADMIN))
    app.standin.wait_for("response_url")
    return open_settings(app, "pgy1", ADMIN)


def send(app: RunningApp, view: dict[str, Any], **changes: str) -> None:
    """The form sent back with `changes`, without waiting for what Slack shows on it after."""
    app.post(
        app.signer.view_submission(
            ids.COHORT_CONFIG_VIEW,
            user_id=ADMIN,
            values=submitted_values(view, changes),
            private_metadata=view["private_metadata"],
        )
    )


def circle_max_size(app: RunningApp) -> int:
    with app.db.reading() as reading:
        return reading.session.scalars(select(Cohort.circle_max_size)).one()


def messages_posted(app: RunningApp) -> list[str]:
    """Every message the app posted, as text."""
    return [json.dumps(c.args, ensure_ascii=False) for c in app.standin.calls("chat.postMessage")]


def test_a_save_whose_form_was_closed_meanwhile_is_told_in_the_dm_as_saved(app: RunningApp) -> None:
    view = new_cohorts_form(app)
    app.standin.error("views.update", "not_found")  # closed: Slack has no view to update any more

    send(app, view, circle_max_size="5")
    app.settled()

    assert circle_max_size(app) == 5
    told = messages_posted(app)
    assert len(told) == 1
    assert "Saved the settings of `pgy1`" in told[0]
    assert "nothing was changed" not in told[0]
