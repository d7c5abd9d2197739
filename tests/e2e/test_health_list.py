"""A long health board over HTTP: the riskiest pairs first, and every pair on request, for facilitators."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from bot import ids
from bot.views import pages
from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.persistence.models import Member, Partnership
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_match_list import assert_next_pressed_twice_shows_page_two, page_turns
from tests.slack_limits import assert_within_limits

FACILITATOR = "U0FAC"
PAIRS = {f"U0C{n:02d}": f"U0L{n:02d}" for n in range(60)}  # more than one message shows


@pytest.fixture
def app(serve_app: Callable[..., RunningApp], any_database: str) -> RunningApp:
    running = serve_app(any_database)
    with running.db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1 residents")
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, FACILITATOR)
        # Added without a flush each (one INSERT for many rows): a flush per row was most of the test.
        members = {
            user: factories.member(uow.session, cohort, user, role, flush=False)
            for coach, learner in PAIRS.items()
            for user, role in ((coach, Role.COACH), (learner, Role.LEARNER))
        }
        uow.session.flush()
        for coach, learner in PAIRS.items():
            factories.pair(uow.session, members[coach], members[learner], flush=False)
        uow.commit()
    return running


def board(app: RunningApp) -> Call:
    app.post(app.signer.slash_command("health pgy1", user_id=FACILITATOR))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    app.standin.clear()
    return answer


def see_all(answer: Call) -> dict[str, Any]:
    found: dict[str, Any] = next(
        b["accessory"] for b in answer.args["blocks"] if b.get("block_id") == ids.HEALTH_MORE_BLOCK
    )
    return found


def test_see_all_on_a_long_board_opens_every_partnership(app: RunningApp) -> None:
    answer = board(app)
    assert_within_limits({"text": answer.args["text"], "blocks": answer.args["blocks"]})
    button = see_all(answer)
    assert button["text"]["text"] == "See all 60"
    app.post(app.signer.block_action(ids.HEALTH_SEE_ALL, user_id=FACILITATOR, value=button["value"]))
    [opened] = app.standin.wait_for("views.open")  # at once, while the board is being read
    [filled] = app.standin.wait_for("views.update")
    assert filled.args["view_id"] == opened.response["view"]["id"]
    assert "<@" not in json.dumps(opened.args["view"])
    assert_within_limits(filled.args["view"])
    shown = json.dumps(filled.args["view"])
    assert set(re.findall(r"<@(U0C\d+)>", shown)) == set(PAIRS)
    assert set(re.findall(r"<@(U0L\d+)>", shown)) == set(PAIRS.values())


def test_only_the_cohorts_facilitators_can_open_the_whole_board(app: RunningApp) -> None:
    button = see_all(board(app))
    app.post(
        app.signer.block_action(
            ids.HEALTH_SEE_ALL,
            user_id="U0L01",
            value=button["value"],
            response_url=app.standin.response_url("h"),
        )
    )
    [refused] = app.standin.wait_for("response_url")
    assert "Only the facilitators" in refused.args["text"]
    assert app.standin.calls("views.open") == []


def test_a_see_all_button_carrying_a_nul_is_refused_kindly(app: RunningApp) -> None:
    app.post(
        app.signer.block_action(
            ids.HEALTH_SEE_ALL,
            user_id=FACILITATOR,
            value="pgy1\x00",
            response_url=app.standin.response_url("h"),
        )
    )
    [refused] = app.standin.wait_for("response_url")
    assert "pgy1" in refused.args["text"]
    assert app.standin.calls("views.open") == []


def test_pressing_next_twice_before_the_page_changes_shows_the_next_page_and_no_error(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SECTIONS", 1)
    button = see_all(board(app))
    app.post(app.signer.block_action(ids.HEALTH_SEE_ALL, user_id=FACILITATOR, value=button["value"]))
    [filled] = app.standin.wait_for("views.update")
    assert_next_pressed_twice_shows_page_two(app, FACILITATOR, filled.response["view"])


def test_next_after_a_pair_of_the_first_page_ended_meanwhile_passes_no_running_pair_over(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SECTIONS", 1)  # a page of about forty pairs
    button = see_all(board(app))
    app.post(app.signer.block_action(ids.HEALTH_SEE_ALL, user_id=FACILITATOR, value=button["value"]))
    [filled] = app.standin.wait_for("views.update")
    first = filled.response["view"]
    ended = coaches(first)[0]
    with app.db.unit_of_work() as uow:  # elsewhere (their DM, the facilitator's /circles end-pair)
        coach = uow.session.scalar(select(Member.id).where(Member.slack_user_id == ended))
        values = {"status": PartnershipStatus.ENDED, "ended_at": factories.NOW}
        uow.session.execute(update(Partnership).where(Partnership.first_member_id == coach).values(**values))
        uow.commit()
    page = turned(app, first, *forward(first))
    assert "Page 2 of" in json.dumps(page)
    seen = set(coaches(first)) | set(coaches(page))
    while further := forward(page):  # and the pages after it, the board unchanged since
        page = turned(app, page, *further)
        seen |= set(coaches(page))
    assert seen == set(PAIRS)  # the one ended was on the first page


def forward(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in page_turns(view) if e["action_id"].endswith(":next")]


def turned(app: RunningApp, view: dict[str, Any], button: dict[str, Any]) -> dict[str, Any]:
    """Press a page button as Slack sends it, with the id of the block it is in."""
    [block] = [b for b in view["blocks"] if b["type"] == "actions"]
    app.standin.clear()
    app.post(
        app.signer.block_action(
            button["action_id"],
            user_id=FACILITATOR,
            value=button["value"],
            block_id=block["block_id"],
            view=view,
        )
    )
    [updated] = app.standin.wait_for("views.update", timeout=10)
    page: dict[str, Any] = updated.args["view"]
    return page


def coaches(view: dict[str, Any]) -> list[str]:
    return re.findall(r"<@(U0C\d+)>", json.dumps(view))
