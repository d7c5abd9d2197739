"""A coach of sixty learners turns the pages of their partners while one on the first page ends meanwhile,
through the real HTTP app and the stand-in: no partner is passed over, turning or redrawing a page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import update

from bot import ids
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Partnership
from tests.e2e.conftest import RunningApp
from tests.e2e.test_relationship_pages import ADDED, named, sixty_partners, the_list
from tests.factories import NOW
from tests.relationship_world import COACH

RUNNING = {"U0L1", "U0L2", "U0L4", *ADDED}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return sixty_partners(serve_app())


def page_button(view: dict[str, Any], name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The page button of the view, and the block it is in."""
    [found] = [
        (block, button)
        for block in view["blocks"]
        for button in [block.get("accessory"), *block.get("elements", [])]
        if isinstance(button, dict) and button.get("action_id") == f"{ids.RELATIONSHIPS_PAGE}:{name}"
    ]
    return found


def turned(app: RunningApp, view: dict[str, Any], name: str) -> dict[str, Any]:
    """Press Next or Previous as Slack sends it, with the id of the button's block."""
    block, button = page_button(view, name)
    app.standin.clear()
    app.post(
        app.signer.block_action(
            button["action_id"],
            user_id=COACH,
            value=button["value"],
            block_id=block.get("block_id", "b"),
            view=view,
        )
    )
    [updated] = app.standin.wait_for("views.update", timeout=10)
    page: dict[str, Any] = updated.response["view"]
    return page


def end_partnership_of(app: RunningApp, view: dict[str, Any], partner: str) -> None:
    """The partnership with `partner` ends elsewhere (their DM, Home): the open list is not redrawn."""
    blocks = view["blocks"]
    [chosen] = [
        button["value"]
        for line, below in pairwise(blocks)
        if f"<@{partner}>" in json.dumps(line)
        for button in below.get("elements", [])
        if button.get("action_id") == ids.PARTNERSHIP_END_OPEN
    ]
    with app.db.unit_of_work() as uow:
        ended = {"status": PartnershipStatus.ENDED, "ended_at": NOW}
        uow.session.execute(update(Partnership).where(Partnership.id == int(chosen)).values(**ended))
        uow.commit()


def first_named(view: dict[str, Any]) -> str:
    found: str = re.findall(r"Your coaching partner: <@(U0\w+)>", json.dumps(view))[0]
    return found


def test_a_partnership_of_the_first_page_ending_before_next_is_pressed_passes_no_partner_over(
    app: RunningApp,
) -> None:
    first = the_list(app)
    end_partnership_of(app, first, first_named(first))
    second = turned(app, first, "next")
    assert named(first) | named(second) >= RUNNING - {first_named(first)}


def test_a_page_redrawn_after_a_change_shows_the_same_partners_when_one_before_ended_meanwhile(
    app: RunningApp,
) -> None:
    first = the_list(app)
    second = turned(app, first, "next")
    end_partnership_of(app, first, first_named(first))  # elsewhere: the list open on page two stays
    _, pause = [
        (block, button)
        for block in second["blocks"]
        for button in block.get("elements", [])
        if button.get("action_id") == ids.PARTNERSHIP_PAUSE
    ][-1]
    app.standin.clear()
    app.post(app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id=COACH, value=pause["value"], view=second))
    [redrawn] = app.standin.wait_for("views.update", timeout=10)
    assert named(redrawn.response["view"]) >= named(second)
