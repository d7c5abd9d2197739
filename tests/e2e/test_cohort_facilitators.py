"""The settings form names the cohort's facilitators: only people of the workspace, whom Slack knows, are
saved, and Slack is asked about the new ones only, a bounded number of them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.persistence.models import Facilitator
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import ADMIN, OTHER_FACILITATOR, SAVED, open_settings, say, submit_settings

ELSEWHERE, FAR_AWAY = "T0ELSEWHERE", "U0FARAWAY"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The app, ADMIN among CIRCLES_ADMINS, and one more person of the workspace."""
    running = serve_app(circles_admins=frozenset({ADMIN}))
    running.standin.add_user(OTHER_FACILITATOR)
    return running


def facilitators(app: RunningApp) -> list[str]:
    with app.db.reading() as reading:
        return sorted(reading.session.scalars(select(Facilitator.slack_user_id)))


def named(app: RunningApp, *people: str) -> str:
    """Submit pgy1's settings with these facilitators; what the form says afterwards."""
    view = open_settings(app, "pgy1", ADMIN)
    _, body = submit_settings(app, view, ADMIN, facilitators=list(people))
    told: str = body["told"]
    return told


def test_someone_slack_does_not_know_in_the_workspace_is_refused_by_name_and_nothing_changes(
    app: RunningApp,
) -> None:
    app.standin.add_team(ELSEWHERE)
    app.standin.add_user(FAR_AWAY, team_id=ELSEWHERE)
    app.standin.add_user("U0GONE", deleted=True)
    app.standin.add_user("U0ROBOT", is_bot=True)
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    for stranger in ("U0NOBODY", FAR_AWAY, "U0GONE", "U0ROBOT"):
        told = named(app, ADMIN, OTHER_FACILITATOR, stranger)
        assert f"<@{stranger}> is not in this workspace" in told
        assert SAVED not in told
        assert facilitators(app) == [ADMIN]


def test_only_the_new_facilitators_are_asked_about(app: RunningApp) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    assert SAVED in named(app, ADMIN, OTHER_FACILITATOR)
    assert [call.args["user"] for call in app.standin.calls("users.info")] == [OTHER_FACILITATOR]
    assert SAVED in named(app, OTHER_FACILITATOR, ADMIN)
    assert app.standin.calls("users.info") == []  # both already facilitate it
    assert facilitators(app) == [ADMIN, OTHER_FACILITATOR]


def test_a_form_naming_too_many_new_facilitators_is_refused_without_asking_slack(app: RunningApp) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    told = named(app, ADMIN, *(f"U0MANY{n:03d}" for n in range(500)))
    assert "add at most 20 new facilitators at a time" in told
    assert app.standin.calls("users.info") == []
    assert facilitators(app) == [ADMIN]


def test_when_slack_cannot_say_who_someone_is_nothing_is_saved_and_the_form_says_to_try_again(
    app: RunningApp,
) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    app.standin.error("users.info", "fatal_error")
    told = named(app, ADMIN, OTHER_FACILITATOR)
    assert "Slack could not confirm the new facilitators just now" in told
    assert facilitators(app) == [ADMIN]
    assert SAVED in named(app, ADMIN, OTHER_FACILITATOR)
