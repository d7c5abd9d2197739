"""Coaches' digests through `circles tick`, the real HTTP app and the Slack stand-in: once a day, on the
person's working days, every cohort in one message, the rest one button away."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Cohort, Member, Partnership, Profile
from tests import factories, relationship_world
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET, RunningApp
from tests.e2e.days import moved
from tests.e2e.harness import circles_tick
from tests.relationship_world import COACH

MONDAY = moved("2027-01-11T15:05:00Z", relationship_world.YEARS_ON)  # 09:05 in Chicago, the cohorts' zone
MONDAY_LATER = moved("2027-01-11T19:05:00Z", relationship_world.YEARS_ON)
SATURDAY = moved("2027-01-16T15:05:00Z", relationship_world.YEARS_ON)
NEXT_MONDAY = moved("2027-01-18T15:05:00Z", relationship_world.YEARS_ON)
MORE = [f"U0L{n}" for n in range(6, 13)]  # seven more learners in alpha: ten running pairs in all


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        world = relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        alpha = uow.session.get_one(Cohort, world.cohorts["alpha"])
        theirs = select(Member).where(Member.cohort_id == alpha.id, Member.slack_user_id == COACH)
        coach = uow.session.scalars(theirs).one()
        # The app reads the real clock, the ticks a virtual one: a cohort with no start date runs at both.
        for cohort_id in world.cohorts.values():
            uow.session.get_one(Cohort, cohort_id).starts_on = None
        pairs = [
            uow.session.get_one(Partnership, world.partnerships[user]) for user in ("U0L1", "U0L2", "U0L3")
        ]
        for user in MORE:
            pairs.append(
                relationship_world.pair(uow.session, coach, factories.member(uow.session, alpha, user))
            )
        # Each learner left last week's check-in unanswered: no meeting reported, and none awaited.
        last_week = datetime.fromisoformat(MONDAY) - timedelta(weeks=1, minutes=5)
        uow.session.add_all(factories.checkin(pair, pair.second_member_id, last_week) for pair in pairs)
        uow.commit()
    for user in (COACH, "U0L1", "U0L2", "U0L3", "U0L4", "U0L5", "U0FAC", *MORE):
        running.standin.add_user(user)
    return running


def tick(app: RunningApp, now: str) -> list[dict[str, Any]]:
    """One tick; the digests it posted."""
    app.standin.clear()
    url, api = app.settings.database_url, app.standin.api_url
    circles_tick(now, database_url=url, api_url=api, token=BOT_TOKEN, secret=SIGNING_SECRET, paced=False)
    posted = [c.response for c in app.standin.calls("chat.postMessage")]
    return [p for p in posted if p.get("message", {}).get("text", "").startswith("Your coaching digest")]


def shown(surface: Any) -> str:
    return json.dumps(surface, ensure_ascii=False)


def days_form(app: RunningApp, user: str, days: list[str]) -> tuple[int, bytes]:
    values = {
        ids.DIGEST_DAYS_BLOCK: {
            ids.DIGEST_DAYS_INPUT: {"type": "checkboxes", "selected_options": [{"value": d} for d in days]}
        }
    }
    return app.post(app.signer.view_submission(ids.DIGEST_DAYS_VIEW, user_id=user, values=values))


def test_one_digest_a_day_covers_both_cohorts_and_the_rest_is_one_button_away(app: RunningApp) -> None:
    [digest] = tick(app, MONDAY)
    assert digest["channel"].startswith("D")
    message = digest["message"]
    text = shown(message["blocks"])
    assert "*Alpha residents*" in text
    assert "*Beta &amp; faculty*" not in text  # alpha's nine lines fill the eight shown
    assert text.count("• ") == 8
    assert "…and 2 more." in text
    assert tick(app, MONDAY_LATER) == []  # the same day again: nothing twice
    assert tick(app, SATURDAY) == []  # not a working day

    app.standin.clear()
    click = app.signer.block_action(
        ids.DIGEST_MORE, user_id=COACH, value="all", channel_id=digest["channel"], message=message
    )
    app.post(click)
    [opened] = app.standin.wait_for("views.open", timeout=10)  # at once; the digest fills it after
    [filled] = app.standin.wait_for("views.update", timeout=10)
    assert filled.args["view_id"] == opened.response["view"]["id"]
    listed = shown(filled.response["view"]["blocks"])
    for learner in ("U0L1", "U0L2", "U0L3", *MORE):
        assert f"No meeting with <@{learner}>" in listed
    assert "*Beta &amp; faculty*" in listed
    assert "U0L4" not in listed  # paused: nothing to act on


def test_a_coach_chooses_their_own_days_and_the_digest_follows(app: RunningApp) -> None:
    app.standin.clear()
    app.post(app.signer.block_action(ids.DIGEST_DAYS_OPEN, user_id=COACH, value="days", channel_id="D0C"))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    form = opened.response["view"]
    initial = form["blocks"][0]["element"]["initial_options"]
    assert [o["value"] for o in initial] == ["0", "1", "2", "3", "4"]

    status, body = days_form(app, COACH, [])
    assert (status, json.loads(body)["response_action"]) == (200, "errors")
    app.standin.clear()
    assert days_form(app, COACH, ["5"])[0] == 200
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert (told.args["channel"], "Saturday" in told.args["text"]) == (COACH, True)
    assert days_form(app, "U0L1", ["6"])[0] == 200  # someone else's choice is their own
    app.standin.wait_for("chat.postMessage", timeout=10, predicate=lambda c: c.args["channel"] == "U0L1")
    with app.db.unit_of_work() as uow:
        chosen = dict(uow.session.execute(select(Profile.slack_user_id, Profile.working_days)).all())
    assert chosen == {COACH: "5", "U0L1": "6"}

    assert tick(app, MONDAY) == []
    assert len(tick(app, SATURDAY)) == 1
    assert tick(app, NEXT_MONDAY) == []
