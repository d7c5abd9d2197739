"""A large round's preview over HTTP: the first circles, then "See all" shows every one before confirming."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from bot import ids
from bot.views import pages
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.slack_limits import assert_within_limits

FACILITATOR = "U0FAC"
PEERS = [f"U0P{n:03d}" for n in range(110)]  # 22 circles of 5 and 55 pairs: more than a preview lists


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.PEER, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size, co.circle_max_size = 5, 5
        factories.facilitator(uow.session, co, FACILITATOR)
        for user in PEERS:
            factories.member(uow.session, co, user, Role.PEER)
        uow.commit()
    return running


def preview(app: RunningApp) -> Call:
    app.post(app.signer.slash_command("match pgy1 preview", user_id=FACILITATOR))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    app.standin.clear()
    return answer


def button(answer: Call, action_id: str) -> dict[str, Any]:
    elements = [e for b in answer.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return next(e for e in elements if e["action_id"] == action_id)


def mentioned(view: dict[str, Any]) -> set[str]:
    return set(re.findall(r"<@(U0P\d+)>", json.dumps(view)))


def test_see_all_opens_every_circle_and_pair_while_confirm_stays_on_the_preview(app: RunningApp) -> None:
    answer = preview(app)
    assert_within_limits({"text": answer.args["text"], "blocks": answer.args["blocks"]})
    assert "…and 2 more circles." in json.dumps(answer.args, ensure_ascii=False)
    see_all = button(answer, ids.MATCH_SEE_ALL)
    assert see_all["text"]["text"] == "See all 22 circles and 55 pairs"
    assert button(answer, ids.MATCH_CONFIRM)["value"] == see_all["value"]
    app.post(app.signer.block_action(ids.MATCH_SEE_ALL, user_id=FACILITATOR, value=see_all["value"]))
    [opened] = app.standin.wait_for("views.open")
    view = opened.args["view"]
    assert_within_limits(view)
    assert mentioned(view) == set(PEERS)
    assert json.dumps(view).count(" + <@") == 55
    assert "Confirm and create" in json.dumps(view)  # it says where confirming happens; it has no button


def test_a_long_round_turns_page_by_page_in_the_same_modal(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SECTIONS", 1)
    run_id = button(preview(app), ids.MATCH_SEE_ALL)["value"]
    app.post(app.signer.block_action(ids.MATCH_SEE_ALL, user_id=FACILITATOR, value=run_id))
    [opened] = app.standin.wait_for("views.open")
    seen, view = mentioned(opened.args["view"]), opened.response["view"]
    for _ in range(10):
        forward = [e for e in page_turns(view) if e["action_id"].endswith(":next")]
        if not forward:
            break
        app.standin.clear()
        app.post(
            app.signer.block_action(
                forward[0]["action_id"], user_id=FACILITATOR, value=forward[0]["value"], view=view
            )
        )
        [updated] = app.standin.wait_for("views.update")
        assert updated.args["view_id"] == view["id"]
        assert_within_limits(updated.args["view"])
        seen |= mentioned(updated.args["view"])
        view = updated.response["view"]
    assert seen == set(PEERS)
    assert re.search(r"Page ([2-9]) of \1\.", json.dumps(view))  # the last page, reached page by page


def test_only_the_cohorts_facilitators_can_see_a_stored_round(app: RunningApp) -> None:
    run_id = button(preview(app), ids.MATCH_SEE_ALL)["value"]
    app.post(
        app.signer.block_action(
            ids.MATCH_SEE_ALL, user_id="U0P001", value=run_id, response_url=app.standin.response_url("s")
        )
    )
    [refused] = app.standin.wait_for("response_url")
    assert "Only the facilitators" in refused.args["text"]
    assert app.standin.calls("views.open") == []


def test_pressing_next_twice_before_the_page_changes_shows_the_next_page_and_no_error(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SECTIONS", 1)
    run_id = button(preview(app), ids.MATCH_SEE_ALL)["value"]
    app.post(app.signer.block_action(ids.MATCH_SEE_ALL, user_id=FACILITATOR, value=run_id))
    [opened] = app.standin.wait_for("views.open")
    assert_next_pressed_twice_shows_page_two(app, FACILITATOR, opened.response["view"])


def assert_next_pressed_twice_shows_page_two(app: RunningApp, user_id: str, view: dict[str, Any]) -> None:
    """A double click on the modal's Next: both presses carry the first page, and each shows the second,
    without an error said to anyone."""
    [forward] = [e for e in page_turns(view) if e["action_id"].endswith(":next")]
    app.standin.clear()
    for _ in range(2):
        app.post(
            app.signer.block_action(forward["action_id"], user_id=user_id, value=forward["value"], view=view)
        )
    updates = app.standin.wait_for("views.update", count=2)
    assert all(call.response.get("ok") for call in updates)
    assert all("Page 2 of" in json.dumps(call.args["view"]) for call in updates)
    app.settled()
    assert app.standin.calls("chat.postMessage") == []


def page_turns(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_see_all_and_page_turns_on_a_preview_gone_stale_offer_a_fresh_one_as_confirm_does(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SECTIONS", 1)
    run_id = button(preview(app), ids.MATCH_SEE_ALL)["value"]
    app.post(app.signer.block_action(ids.MATCH_SEE_ALL, user_id=FACILITATOR, value=run_id))
    view = app.standin.wait_for("views.open")[0].response["view"]
    app.post(app.signer.slash_command("leave pgy1", user_id=PEERS[0]))  # the preview names them
    app.standin.wait_for("response_url", timeout=10)
    [forward] = [e for e in page_turns(view) if e["action_id"].endswith(":next")]
    app.standin.clear()
    app.post(
        app.signer.block_action(forward["action_id"], user_id=FACILITATOR, value=forward["value"], view=view)
    )
    assert_offered_afresh(app, run_id, "chat.postMessage")  # a view has no response_url: in the DM
    url = app.standin.response_url("s")
    app.post(app.signer.block_action(ids.MATCH_SEE_ALL, user_id=FACILITATOR, value=run_id, response_url=url))
    assert_offered_afresh(app, run_id, "response_url")


def assert_offered_afresh(app: RunningApp, run_id: str, where: str) -> None:
    """The words Confirm says of a stale preview, then a fresh one, and the stale one drawn nowhere."""
    told, fresh = app.standin.wait_for(where, count=2, timeout=10)
    assert "changed since this preview, so it was not used" in told.args["text"]
    assert button(fresh, ids.MATCH_CONFIRM)["value"] != run_id
    assert PEERS[0] not in json.dumps(fresh.args)
    app.settled()
    assert app.standin.calls("views.update") == app.standin.calls("views.open") == []  # before: drawn
    app.standin.clear()
