"""A facilitator of many cohorts turns the pages of Home while one on the first page is archived meanwhile,
through the real HTTP app and the stand-in: no cohort is passed over."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from bot import ids
from circles.persistence.models import Cohort, Workspace
from tests import relationship_world
from tests.e2e.conftest import RunningApp
from tests.factories import NOW

FACILITATOR = "U0FAC"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The coach's world (alpha and beta, run by U0FAC) and twelve more cohorts U0FAC runs: 14 in all."""
    running = serve_app()
    with running.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        ws = uow.session.scalars(select(Workspace)).one()
        for n in range(12):
            name, years_on = f"Extra {n:02d}", relationship_world.YEARS_ON
            relationship_world.cohort(uow.session, ws, f"extra-{n:02d}", name, years_on)
        uow.commit()
    running.standin.add_user(FACILITATOR)
    return running


def listed(home: dict[str, Any]) -> list[str]:
    """The cohorts Home lists as run by the facilitator, by slug, in order."""
    return re.findall(r"\(`([a-z0-9-]+)`\)", json.dumps(home["blocks"]))


def opened_home(app: RunningApp) -> dict[str, Any]:
    app.standin.clear()
    app.post(app.signer.app_home_opened(FACILITATOR))
    app.standin.wait_for("views.publish", timeout=10)
    home = app.standin.home_view(FACILITATOR)
    assert home is not None
    return home


def next_pressed(app: RunningApp, home: dict[str, Any], **forged: str) -> dict[str, Any]:
    """Press "Next ›" as Slack sends it, with the id of its block (or `forged` fields)."""
    [(block, button)] = [
        (block, element)
        for block in home["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == f"{ids.HOME_RUNS_PAGE}:next"
    ]
    sent = {"block_id": block["block_id"], "value": button["value"], **forged}
    app.standin.clear()
    app.post(app.signer.block_action(button["action_id"], user_id=FACILITATOR, view=home, **sent))
    app.standin.wait_for("views.publish", timeout=10)
    turned = app.standin.home_view(FACILITATOR)
    assert turned is not None
    return turned


def archived(app: RunningApp, slug: str) -> None:
    with app.db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).where(Cohort.slug == slug).values(archived_at=NOW))
        uow.commit()


def test_a_cohort_of_the_first_page_archived_before_next_is_pressed_passes_no_cohort_over(
    app: RunningApp,
) -> None:
    first = opened_home(app)
    every = listed(first)
    assert len(every) == 10
    archived(app, every[0])  # everyone after it moves up one place
    second = next_pressed(app, first)
    assert set(listed(first)[1:]) | set(listed(second)) == {
        *every[1:],
        *(f"extra-{n:02d}" for n in range(12)),
        "alpha",
        "beta",
    } - {every[0]}
    assert "Cohorts 10–13 of 13." in json.dumps(second, ensure_ascii=False)


@pytest.mark.parametrize(
    "forged",
    [
        {
            "block_id": ids.HOME_RUNS_PAGE_BLOCK
        },  # drawn before the block named its cohorts: by the page number
        {"block_id": f"{ids.HOME_RUNS_PAGE_BLOCK}:nowhere|nothing"},
        {"block_id": f"{ids.HOME_RUNS_PAGE_BLOCK}:alpha\x00|beta"},
        {"block_id": f"{ids.HOME_RUNS_PAGE_BLOCK}:{'x' * 2000}|y"},
        {"value": "x" * 50},
    ],
)
def test_a_page_button_drawn_before_or_forged_still_shows_a_page_of_home(
    app: RunningApp, forged: dict[str, str]
) -> None:
    first = opened_home(app)
    second = next_pressed(app, first, **forged)
    assert listed(second)
    assert set(listed(second)) <= {*(f"extra-{n:02d}" for n in range(12)), "alpha", "beta"}
