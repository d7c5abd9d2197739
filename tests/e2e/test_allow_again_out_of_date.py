"""An "Allow again" button left on an older preview, pressed once its pair was allowed again, paired again and
ended again, is out of date: it lifts nothing, and the two stay apart until a facilitator allows the newer
ending, over HTTP with signed requests and the Slack stand-in."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MeetingPlace, PairingMode
from circles.persistence.models import PairOverride
from tests.e2e.conftest import RunningApp
from tests.e2e.test_ended_pairs import PEOPLE, buttons, click, coach_of, end_through_the_form
from tests.e2e.test_matching import FACILITATOR, command, seed, until_done


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    seed(running, PEOPLE, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    command(running, "match pgy1")  # round 1: two coaches with room for two each, four learners
    until_done(running)
    return running


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
