"""A coach of sixty learners turns the pages of their partners through the real HTTP app and the stand-in."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Cohort, Member
from standin import SlackStandIn
from tests import factories, relationship_world
from tests.e2e.conftest import RunningApp, start_app
from tests.relationship_world import COACH
from tests.slack_limits import assert_within_limits

ADDED = tuple(f"U0M{n:03d}" for n in range(57))  # with U0L1, U0L2 and U0L4: sixty running partnerships


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return sixty_partners(serve_app())


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """One app with the coach's sixty partners for the presses below that must change nothing."""
    with contextlib.ExitStack() as stack:
        standin = stack.enter_context(SlackStandIn())
        yield sixty_partners(start_app(stack, standin, tmp_path_factory.mktemp("pages")))


@pytest.fixture
def shown(shared_app: RunningApp) -> Iterator[RunningApp]:
    """The shared app, Slack having heard nothing yet; nothing a test started is still running after it."""
    shared_app.standin.clear()
    yield shared_app
    shared_app.settled()


def sixty_partners(running: RunningApp) -> RunningApp:
    """The coach's world (tests.relationship_world), with 57 more learners of alpha paired with them."""
    with running.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        coach = uow.session.scalars(
            select(Member).where(Member.slack_user_id == COACH).order_by(Member.id)
        ).first()
        assert coach is not None
        alpha = uow.session.get_one(Cohort, coach.cohort_id)
        # Added without a flush each (one INSERT for many rows): a flush per row was most of the set-up.
        added = [factories.member(uow.session, alpha, user, flush=False) for user in ADDED]
        uow.session.flush()
        for learner in added:
            factories.pair(uow.session, coach, learner, flush=False)  # active, as relationship_world.pair
        uow.commit()
    for user in (COACH, "U0L1", "U0OUT", *ADDED):
        running.standin.add_user(user)
    return running


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]


def the_list(app: RunningApp) -> dict[str, Any]:
    """`/circles status`, then "See all partners": the first page."""
    app.post(app.signer.slash_command("status", user_id=COACH))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    [more] = [b for b in buttons(answer.args["blocks"]) if b["action_id"] == ids.RELATIONSHIPS_MORE]
    app.standin.clear()
    app.post(
        app.signer.block_action(ids.RELATIONSHIPS_MORE, user_id=COACH, value=more["value"], channel_id="D0C")
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view: dict[str, Any] = opened.response["view"]
    return view


def press(app: RunningApp, view: dict[str, Any], turn: str, value: str, user: str = COACH) -> None:
    app.standin.clear()
    app.post(
        app.signer.block_action(f"{ids.RELATIONSHIPS_PAGE}:{turn}", user_id=user, value=value, view=view)
    )


def named(view: dict[str, Any]) -> set[str]:
    """Everyone with their own buttons on the page."""
    return set(re.findall(r"Your coaching partner: <@(U0\w+)>", json.dumps(view)))


def test_next_shows_the_partners_past_the_first_page_each_with_their_buttons(app: RunningApp) -> None:
    first = the_list(app)
    [turn] = [b for b in buttons(first["blocks"]) if b["action_id"].startswith(ids.RELATIONSHIPS_PAGE)]
    assert turn["text"]["text"] == "Next page"
    press(app, first, "next", turn["value"])
    [updated] = app.standin.wait_for("views.update", timeout=10)
    assert updated.args["view_id"] == first["id"]
    assert_within_limits(updated.args["view"])  # what the app sent
    second = updated.response["view"]
    assert "Page 2 of 2." in json.dumps(second)
    assert named(first) | named(second) == {"U0L1", "U0L2", "U0L4", *ADDED}
    assert not named(first) & named(second)
    ends = [b for b in buttons(second["blocks"]) if b["action_id"] == ids.PARTNERSHIP_END_OPEN]
    assert len(ends) == len(named(second)) == 11
    [back] = [b for b in buttons(second["blocks"]) if b["action_id"].startswith(ids.RELATIONSHIPS_PAGE)]
    assert (back["text"]["text"], back["value"]) == ("Previous page", "alpha:0")


def test_a_page_past_the_last_shows_the_last(app: RunningApp) -> None:
    first = the_list(app)
    press(app, first, "next", "alpha:999999")
    [updated] = app.standin.wait_for("views.update", timeout=10)
    assert "Page 2 of 2." in json.dumps(updated.response["view"])


@pytest.mark.parametrize("value", ["alpha:-1", "alpha:one", "alpha:1\x00", "alpha:" + "9" * 5000, ":", ""])
def test_a_page_button_this_app_did_not_write_is_answered_kindly(shown: RunningApp, value: str) -> None:
    app = shown
    first = the_list(app)
    press(app, first, "next", value)
    [answer] = app.standin.wait_for(
        "chat.postMessage", timeout=10, predicate=lambda c: c.args["channel"] == COACH
    )
    assert "could not be shown" in answer.args["text"]
    assert app.standin.calls("views.update") == []


def test_each_page_is_read_again_for_the_one_who_pressed_only_their_own_partners(app: RunningApp) -> None:
    first = the_list(app)
    press(app, first, "next", "alpha:1", user="U0L1")  # a learner, pressing with the coach's view
    [updated] = app.standin.wait_for("views.update", timeout=10)
    assert named(updated.response["view"]) == {COACH}
    press(app, first, "next", "alpha:1", user="U0OUT")  # someone not in the cohort at all
    [answer] = app.standin.wait_for(
        "chat.postMessage", timeout=10, predicate=lambda c: c.args["channel"] == "U0OUT"
    )
    assert "no longer in that cohort" in answer.args["text"]
    assert app.standin.calls("views.update") == []
