"""Residents on nights through the real HTTP app and the stand-in: under the cohort's quiet nights a night
worker's check-in arrives in their shift, the hours form refuses quiet hours of one's own that would let
nothing through, and Home says why when nothing can reach someone this week."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot import ids
from circles.domain.availability import WorkPattern, parse_shift
from circles.persistence.models import Profile, Workspace
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.days import at
from tests.e2e.test_away import open_form, submit
from tests.e2e.test_delivery_windows import WEEK_2, checkins_to, seed
from tests.e2e.test_tick import tick

NIGHT_SHIFT = "Sun-Thu 22:00-07:00"


def test_a_night_workers_check_in_under_the_cohorts_quiet_nights_arrives_when_their_shift_starts(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app, learner_pattern=WorkPattern(parse_shift(NIGHT_SHIFT)).to_json())  # the cohort keeps nights

    tick(app, at(WEEK_2.replace(minute=5)))
    tick(app, at(WEEK_2.replace(hour=21, minute=55)))
    assert (checkins_to(app, "U0CAL"), checkins_to(app, "U0NIA")) == (1, 0)

    tick(app, at(WEEK_2.replace(hour=22, minute=2)))  # her shift began at 22:00
    assert checkins_to(app, "U0NIA") == 1


def hours_values(form: dict[str, Any], *quiet: str) -> dict[str, Any]:
    values = submitted_values(form, {ids.HOURS_PATTERN: NIGHT_SHIFT})
    ticked = [{"value": name} for name in quiet]
    values[ids.HOURS_QUIET] = {ids.INPUT: {"type": "checkboxes", "selected_options": ticked}}
    return values


def profile_of(app: RunningApp, user: str) -> Profile | None:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Profile).where(Profile.slack_user_id == user)).one_or_none()


def test_the_hours_form_refuses_own_quiet_nights_over_a_night_shift_on_the_field_and_keeps_nothing(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(sending=True)
    coaching_pair(app, reachable_coach=True)
    form = open_form(app, ids.HOME_HOURS_OPEN, "U0LEARN")
    refused = submit(app, ids.HOURS_VIEW, "U0LEARN", hours_values(form, "nights"))
    assert refused["response_action"] == "errors"
    assert list(refused["errors"]) == [ids.HOURS_QUIET]
    assert "cover all of your working hours" in refused["errors"][ids.HOURS_QUIET]
    assert profile_of(app, "U0LEARN") is None

    assert submit(app, ids.HOURS_VIEW, "U0LEARN", hours_values(form, "cohort")) == {}
    [published] = app.standin.wait_for("views.publish", timeout=10)
    shown = json.dumps(published.args["view"], ensure_ascii=False)
    assert "nights (your cohort’s, not in your working hours" in shown
    assert "Nothing can reach you" not in shown
    saved = profile_of(app, "U0LEARN")
    assert saved is not None
    assert (saved.quiet_hours, saved.work_pattern) == (None, WorkPattern(parse_shift(NIGHT_SHIFT)).to_json())


def test_home_says_why_nothing_can_reach_someone_whose_own_quiet_hours_cover_their_shift(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    coaching_pair(app)
    with app.db.unit_of_work() as uow:
        ws_id = uow.session.scalars(select(Workspace.id)).one()
        kept_before = Profile(
            workspace_id=ws_id,
            slack_user_id="U0LEARN",
            quiet_hours="nights",
            work_pattern=WorkPattern(parse_shift(NIGHT_SHIFT)).to_json(),
            updated_at=WEEK_2,
        )
        uow.session.add(kept_before)
        uow.commit()
    app.post(app.signer.app_home_opened("U0LEARN"))
    [published] = app.standin.wait_for("views.publish", timeout=10)
    shown = json.dumps(published.args["view"], ensure_ascii=False)
    assert "Nothing can reach you: your quiet hours cover all of your working hours" in shown
