"""A coaching cohort's first round as a new programme lives it: a coach joins in Slack, is asked on the
profile form it opens how many partners they can take, and the preview proposes pairs or says why not."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.views.profile import CAPACITY_UNSAID
from circles.persistence.models import Profile
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import ADMIN, open_settings, say, shown, submit_settings

COACH = "U0COACH"
LEARNERS = ("U0LRN1", "U0LRN2", "U0LRN3")


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """A coach–learner cohort just created and configured by its facilitator, nobody in it yet."""
    running = serve_app(circles_admins=frozenset({ADMIN}))
    for user in (ADMIN, COACH, *LEARNERS):
        running.standin.add_user(user, tz="America/Chicago")
    say(running, "cohort create pgy1 PGY-1 residents", ADMIN)
    view = open_settings(running, "pgy1", ADMIN)
    submit_settings(
        running, view, ADMIN, pairing_mode="coach_learner", circle_min_size="2", circle_max_size="4"
    )
    return running


def join(app: RunningApp, user_id: str, role: str) -> dict[str, Any]:
    """`/circles join pgy1`, then the role pressed; the profile form that opens for a newcomer."""
    say(app, "join pgy1", user_id)
    press = app.signer.block_action(
        f"{ids.JOIN_AS_ROLE}:{role}",
        user_id=user_id,
        value=f"pgy1:{role}",
        response_url=app.standin.response_url("join"),
    )
    assert app.post(press)[0] == 200
    [opened] = app.standin.wait_for("views.open")
    app.standin.wait_for("response_url")
    app.settled()
    app.standin.clear()
    view: dict[str, Any] = opened.args["view"]
    return view


def save_profile(app: RunningApp, user_id: str, view: dict[str, Any], **changes: str) -> dict[str, Any]:
    """Press Save on the form as it stands, with these blocks changed; Slack's answer to the submission."""
    values = submitted_values(view, changes)
    status, body = app.post(app.signer.view_submission(ids.PROFILE_VIEW, user_id=user_id, values=values))
    assert status == 200
    app.settled()
    return json.loads(body) if body else {}


def capacity_of(app: RunningApp, user_id: str) -> int | None:
    """The places the person's profile offers; None while they have no profile."""
    with app.db.unit_of_work() as uow:
        query = select(Profile.capacity).where(Profile.slack_user_id == user_id)
        return uow.session.scalars(query).one_or_none()


def capacity_field(view: dict[str, Any]) -> dict[str, Any]:
    [block] = [b for b in view["blocks"] if b.get("block_id") == ids.PROFILE_CAPACITY]
    found: dict[str, Any] = block
    return found


def test_a_coach_who_joins_is_asked_their_capacity_and_the_first_round_pairs_them(app: RunningApp) -> None:
    form = join(app, COACH, "coach")
    field = capacity_field(form)
    assert "initial_value" not in field["element"]  # nothing said for them, 0 least of all
    assert field["optional"] is False

    unanswered = save_profile(app, COACH, form)
    assert unanswered == {"response_action": "errors", "errors": {ids.PROFILE_CAPACITY: CAPACITY_UNSAID}}
    assert not capacity_of(app, COACH)  # no places offered while the form waits for an answer

    assert save_profile(app, COACH, form, **{ids.PROFILE_CAPACITY: "2"}) == {}
    assert capacity_of(app, COACH) == 2
    for learner in LEARNERS:
        join(app, learner, "learner")

    preview = shown(say(app, "match pgy1 preview", ADMIN))
    assert "*2 pairs*" in preview
    assert preview.count(f"<@{COACH}>") >= 2
    assert "The places left went to other learners" in preview  # the third learner, truly
    assert "full" not in preview

    app.post(app.signer.slash_command("profile", user_id=COACH))
    [reopened] = app.standin.wait_for("views.open")
    assert capacity_field(reopened.args["view"])["element"]["initial_value"] == "2"


def test_a_coach_who_reopens_the_form_unanswered_is_asked_again_not_offered_a_zero(app: RunningApp) -> None:
    join(app, COACH, "coach")  # the form is closed: nothing said

    app.post(app.signer.slash_command("profile", user_id=COACH))
    [reopened] = app.standin.wait_for("views.open")

    field = capacity_field(reopened.args["view"])
    assert "initial_value" not in field["element"]
    assert field["optional"] is False


def test_a_coach_who_closes_the_form_unanswered_is_not_called_full(app: RunningApp) -> None:
    join(app, COACH, "coach")  # the form is closed: nothing saved
    for learner in LEARNERS:
        join(app, learner, "learner")

    preview = shown(say(app, "match pgy1 preview", ADMIN))

    assert "pairs*" not in preview
    assert "Not matched this round" in preview
    assert "full" not in preview
    reason = "No coach or mentor they may be paired with has said they can take a partner yet"
    assert preview.count(reason) == len(LEARNERS)
    assert preview.count("set how many partners they can take in `/circles profile`") == len(LEARNERS)
