"""A learner ends a partnership; later rounds and re-matches keep the two apart until a facilitator allows
them again, over HTTP with signed requests and the Slack stand-in."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MeetingPlace, PairingMode, PartnershipStatus, Role
from circles.persistence.models import Member, PairOverride, Partnership
from standin import Call
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_matching import FACILITATOR, command, groups, seed, until_done

PEOPLE = {"U0C1": Role.COACH, "U0C2": Role.COACH, **{f"U0L{i}": Role.LEARNER for i in range(1, 5)}}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    seed(running, PEOPLE, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    command(running, "match pgy1")  # round 1: two coaches with room for two each, four learners
    until_done(running)
    return running


def coach_of(app: RunningApp, learner: str) -> str | None:
    """The learner's running partner, or None."""
    with app.db.unit_of_work() as uow:
        me = uow.session.scalars(select(Member.id).where(Member.slack_user_id == learner)).one()
        coach = uow.session.scalars(
            select(Member.slack_user_id)
            .join(Partnership, Partnership.first_member_id == Member.id)
            .where(Partnership.second_member_id == me, Partnership.status != PartnershipStatus.ENDED)
        ).one_or_none()
    return coach


def end_through_the_form(app: RunningApp, learner: str) -> None:
    app.standin.clear()
    app.post(app.signer.slash_command("status", user_id=learner))
    [status] = app.standin.wait_for("response_url", timeout=10)
    value = next(
        e["value"]
        for b in status.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ids.PARTNERSHIP_END_OPEN
    )
    app.standin.clear()
    app.post(app.signer.block_action(ids.PARTNERSHIP_END_OPEN, user_id=learner, value=value, trigger_id="t1"))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    values = submitted_values(view, {ids.PARTNERSHIP_END_REASON: "We want different things."})
    app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW,
            user_id=learner,
            values=values,
            private_metadata=view["private_metadata"],
        )
    )
    app.standin.wait_for("chat.postMessage", timeout=10)


def buttons(answer: Call) -> dict[str, list[str]]:
    """Every button's values by action id, in the actions blocks and the section accessories."""
    found: dict[str, list[str]] = {}
    for block in answer.args["blocks"]:
        elements: list[dict[str, Any]] = block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements = [block["accessory"]]
        for element in elements:
            found.setdefault(element["action_id"], []).append(element["value"])
    return found


def click(app: RunningApp, action: str, user: str, value: str) -> Call:
    app.standin.clear()
    app.post(
        app.signer.block_action(action, user_id=user, value=value, response_url=app.standin.response_url("p"))
    )
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return answer


def test_an_ended_pair_is_kept_apart_by_the_next_round_and_by_re_match_until_a_facilitator_allows_it(
    app: RunningApp,
) -> None:
    coach = coach_of(app, "U0L1")
    assert coach is not None
    end_through_the_form(app, "U0L1")

    preview = command(app, "match pgy1 preview")
    text = json.dumps(preview.args, ensure_ascii=False)
    assert f"<@{coach}> and <@U0L1> ended their partnership in round 1 — kept apart" in text
    assert "allowed again" not in text  # earlier circle-mates may meet again; the ex-pair may not
    click(app, ids.MATCH_CONFIRM, FACILITATOR, buttons(preview)[ids.MATCH_CONFIRM][0])
    until_done(app)
    assert coach_of(app, "U0L1") is None  # the ex-coach has room, but not for them
    assert not any({coach, "U0L1"} <= circle for circle in groups(app, 2))

    rematch = command(app, "match pgy1 <@U0L1|l1> preview")
    assert "Every coach or mentor is full, or has a declared conflict or an ended partnership" in json.dumps(
        rematch.args, ensure_ascii=False
    )
    [allow] = buttons(rematch)[ids.MATCH_ALLOW_AGAIN]
    assert ids.MATCH_CONFIRM not in buttons(rematch)  # nothing to create
    refused = click(app, ids.MATCH_ALLOW_AGAIN, "U0L2", allow)
    assert "facilitator" in json.dumps(refused.args, ensure_ascii=False).lower()
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(PairOverride)).all() == []

    fresh = click(app, ids.MATCH_ALLOW_AGAIN, FACILITATOR, allow)
    shown = json.dumps(fresh.args, ensure_ascii=False)
    assert fresh.args["replace_original"] in (True, "true")
    assert f"<@{coach}> + <@U0L1>" in shown
    assert r"Repeats: 1 · Conflicts: 0\n" in shown  # the pair allowed again, counted and named
    assert f"<@{coach}> and <@U0L1> as partners, allowed again by a facilitator" in shown
    assert ids.MATCH_ALLOW_AGAIN not in buttons(fresh)
    click(app, ids.MATCH_CONFIRM, FACILITATOR, buttons(fresh)[ids.MATCH_CONFIRM][0])
    until_done(app)
    assert coach_of(app, "U0L1") == coach


# An "Allow again" button left on an older preview, pressed once its pair was allowed again, paired again
# and ended again, is out of date: it lifts nothing, and the two stay apart until the newer ending is allowed.
def test_allow_again_on_an_older_preview_lifts_nothing_once_the_pair_ended_again(app: RunningApp) -> None:
    coach = coach_of(app, "U0L1")
    assert coach is not None
    end_through_the_form(app, "U0L1")
    kept_apart = f"<@{coach}> and <@U0L1> ended their partnership in round 1 — kept apart"
    older = command(app, "match pgy1 preview")  # a preview of the next round, left unconfirmed
    assert kept_apart in json.dumps(older.args, ensure_ascii=False)
    [older_allow] = buttons(older)[ids.MATCH_ALLOW_AGAIN]

    # The facilitator allows the pair again from a re-match, confirms it, and the pair ends again.
    rematch = command(app, "match pgy1 <@U0L1|l1> preview")
    [allow] = buttons(rematch)[ids.MATCH_ALLOW_AGAIN]
    fresh = click(app, ids.MATCH_ALLOW_AGAIN, FACILITATOR, allow)
    click(app, ids.MATCH_CONFIRM, FACILITATOR, buttons(fresh)[ids.MATCH_CONFIRM][0])
    until_done(app)
    assert coach_of(app, "U0L1") == coach
    end_through_the_form(app, "U0L1")
    with app.db.unit_of_work() as uow:
        allowed_at = uow.session.scalars(select(PairOverride.allowed_at)).one()

    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_ALLOW_AGAIN,
            user_id=FACILITATOR,
            value=older_allow,
            response_url=app.standin.response_url("p"),
        )
    )
    refused, offered = app.standin.wait_for("response_url", count=2, timeout=10)
    assert "changed since this preview" in json.dumps(refused.args, ensure_ascii=False)
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(PairOverride.allowed_at)).one() == allowed_at
    # The fresh preview offered instead keeps them apart, with a button for the newer ending.
    assert kept_apart in json.dumps(offered.args, ensure_ascii=False)
    [newer_allow] = buttons(offered)[ids.MATCH_ALLOW_AGAIN]
    assert newer_allow != older_allow
    allowed = click(app, ids.MATCH_ALLOW_AGAIN, FACILITATOR, newer_allow)
    assert kept_apart not in json.dumps(allowed.args, ensure_ascii=False)
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(PairOverride.allowed_at)).one() > allowed_at


def test_allow_again_from_before_buttons_named_the_ending_is_out_of_date(app: RunningApp) -> None:
    end_through_the_form(app, "U0L1")
    preview = command(app, "match pgy1 preview")
    [allow] = buttons(preview)[ids.MATCH_ALLOW_AGAIN]

    answer = click(app, ids.MATCH_ALLOW_AGAIN, FACILITATOR, allow.partition("#")[0])
    assert "out of date" in json.dumps(answer.args)
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(PairOverride)).all() == []
