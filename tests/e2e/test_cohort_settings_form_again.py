"""The settings form refused over its facilitators comes back as it was sent, a note at the top saying what
to change: the rename and every other edit are still there, and the stale-form check still holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Cohort, Facilitator
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import ADMIN, OTHER_FACILITATOR, SAVED, open_settings, say

ELSEWHERE, FAR_AWAY = "T0ELSEWHERE", "W0ELSEWHERE"
RENAMED = "PGY-1 renamed with care"
EDITS = {"name": RENAMED, "checkin_every_weeks": "3"}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Cohort pgy1 facilitated by ADMIN; one more person of the workspace, and one of another."""
    running = serve_app(circles_admins=frozenset({ADMIN}))
    running.standin.add_user(OTHER_FACILITATOR)
    running.standin.add_team(ELSEWHERE)
    running.standin.add_user(FAR_AWAY, team_id=ELSEWHERE)
    say(running, "cohort create pgy1 PGY-1", ADMIN)
    return running


def send(app: RunningApp, view: dict[str, Any], by: str = ADMIN, **changes: Any) -> dict[str, Any]:
    """Send the settings form with these changes; the view the form shows after "One moment…"."""
    request = app.signer.view_submission(
        ids.COHORT_CONFIG_VIEW,
        user_id=by,
        values=submitted_values(view, changes),
        private_metadata=view["private_metadata"],
    )
    app.standin.clear()
    status, body = app.post(request)
    assert status == 200
    assert json.loads(body)["response_action"] == "update"
    [shown] = app.standin.wait_for("views.update")
    found = shown.args["view"]
    view_shown: dict[str, Any] = json.loads(found) if isinstance(found, str) else found
    return view_shown


def initial(view: dict[str, Any], block_id: str) -> Any:
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    element = block["element"]
    return element.get("initial_value", element.get("initial_users"))


def note(view: dict[str, Any]) -> str:
    """The note at the top of the settings form shown again (not a notice in its place)."""
    assert view.get("callback_id") == ids.COHORT_CONFIG_VIEW, "the form was replaced: what was typed is gone"
    top = view["blocks"][0]
    assert top["type"] == "section"
    return str(top["text"]["text"])


def stored(app: RunningApp) -> tuple[str, int, list[str]]:
    with app.db.reading() as reading:
        cohort = reading.session.scalars(select(Cohort)).one()
        people = sorted(reading.session.scalars(select(Facilitator.slack_user_id)))
        return cohort.name, cohort.checkin_every_weeks, people


def test_a_facilitator_of_another_workspace_brings_the_form_back_with_every_edit_kept(
    app: RunningApp,
) -> None:
    view = open_settings(app, "pgy1", ADMIN)
    before = stored(app)
    again = send(app, view, facilitators=[ADMIN, FAR_AWAY], **EDITS)
    assert f"<@{FAR_AWAY}> is not in this workspace" in note(again)
    assert "Choose facilitators from the list" in note(again)
    assert initial(again, "name") == RENAMED
    assert initial(again, "checkin_every_weeks") == "3"
    assert initial(again, "facilitators") == [ADMIN, FAR_AWAY]
    assert again["private_metadata"] == view["private_metadata"]
    assert stored(app) == before
    assert app.standin.calls("chat.postMessage") == []

    saved = send(app, again, facilitators=[ADMIN, OTHER_FACILITATOR])
    assert SAVED in json.dumps(saved)
    assert stored(app) == (RENAMED, 3, [ADMIN, OTHER_FACILITATOR])


def test_too_many_new_facilitators_bring_the_form_back_with_every_edit_kept(app: RunningApp) -> None:
    view = open_settings(app, "pgy1", ADMIN)
    many = [ADMIN, *(f"U0MANY{n:03d}" for n in range(21))]
    again = send(app, view, facilitators=many, **EDITS)
    assert "add at most 20 new facilitators at a time" in note(again)
    assert initial(again, "name") == RENAMED
    assert stored(app)[0] == "PGY-1"


def test_when_slack_cannot_confirm_the_form_comes_back_and_saving_it_again_keeps_the_edits(
    app: RunningApp,
) -> None:
    view = open_settings(app, "pgy1", ADMIN)
    app.standin.error("users.info", "fatal_error")
    again = send(app, view, facilitators=[ADMIN, OTHER_FACILITATOR], **EDITS)
    assert "Slack could not confirm the new facilitators just now" in note(again)
    assert initial(again, "name") == RENAMED
    assert SAVED in json.dumps(send(app, again))
    assert stored(app) == (RENAMED, 3, [ADMIN, OTHER_FACILITATOR])


def test_the_form_brought_back_is_still_refused_when_someone_changed_the_settings_meanwhile(
    app: RunningApp,
) -> None:
    assert SAVED in json.dumps(
        send(app, open_settings(app, "pgy1", ADMIN), facilitators=[ADMIN, OTHER_FACILITATOR])
    )
    view = open_settings(app, "pgy1", ADMIN)
    again = send(app, view, facilitators=[ADMIN, OTHER_FACILITATOR, FAR_AWAY], **EDITS)
    assert "not in this workspace" in note(again)
    assert again["private_metadata"] == view["private_metadata"]
    theirs = open_settings(app, "pgy1", OTHER_FACILITATOR)
    assert SAVED in json.dumps(send(app, theirs, name="Their name", by=OTHER_FACILITATOR))
    refused = send(app, again, facilitators=[ADMIN, OTHER_FACILITATOR])
    assert "someone changed the settings of `pgy1` after you opened this form" in json.dumps(refused)
    assert stored(app)[0] == "Their name"


def test_when_the_form_has_gone_the_note_comes_in_the_dm_and_nothing_is_saved(app: RunningApp) -> None:
    view = open_settings(app, "pgy1", ADMIN)
    before = stored(app)
    app.standin.error("views.update", "not_found")
    request = app.signer.view_submission(
        ids.COHORT_CONFIG_VIEW,
        user_id=ADMIN,
        values=submitted_values(view, {"facilitators": [ADMIN, FAR_AWAY], **EDITS}),
        private_metadata=view["private_metadata"],
    )
    app.standin.clear()
    assert app.post(request)[0] == 200
    [told] = app.standin.wait_for("chat.postMessage")
    assert f"<@{FAR_AWAY}> is not in this workspace" in told.args["text"]
    assert stored(app) == before
