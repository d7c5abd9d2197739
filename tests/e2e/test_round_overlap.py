"""A cohort's next round waits until the one before it is created in Slack, however it is asked for."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from sqlalchemy import select, update

from bot import ids
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import MeetingPlace, PairingMode
from circles.persistence.models import MatchRun
from tests.e2e.conftest import RunningApp
from tests.e2e.test_ended_pairs import PEOPLE, buttons, click, end_through_the_form
from tests.e2e.test_matching import FACILITATOR, NINE, command, seed, until_done


def runs(app: RunningApp) -> list[tuple[int, RunStatus]]:
    with app.db.unit_of_work() as uow:
        return [(r.round, r.status) for r in uow.session.scalars(select(MatchRun).order_by(MatchRun.id))]


def confirmed_soon(app: RunningApp) -> None:
    deadline = time.monotonic() + 10
    while (1, RunStatus.CONFIRMED) not in runs(app) and time.monotonic() < deadline:
        time.sleep(0.05)  # the preview is answered first, then the round is confirmed


def test_an_old_confirm_pressed_while_round_one_is_being_created_offers_no_second_round(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()  # no dispatcher: round 1 stays in the outbox, as behind Slack's rate limits
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    preview = command(app, "match pgy1 preview")
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    command(app, "match pgy1")  # another facilitator matches at once
    confirmed_soon(app)
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFIRM, user_id=FACILITATOR, value=run_id, response_url=app.standin.response_url("c")
        )
    )
    settled = ("still being created", ids.MATCH_CONFIRM)  # whichever answer ends the click
    app.standin.wait_for(
        "response_url", timeout=10, predicate=lambda c: any(w in json.dumps(c.args) for w in settled)
    )
    text = json.dumps([c.args for c in app.standin.calls("response_url")])
    assert "Round 1 of PGY-1 is still being created" in text
    assert ids.MATCH_CONFIRM not in text  # no round 2 to confirm on top of round 1
    assert [r for r in runs(app) if r[0] == 2] == []


def test_allowing_an_ended_pair_again_while_a_round_is_being_created_offers_no_round_on_top(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(sending=True)
    seed(app, PEOPLE, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    command(app, "match pgy1")
    until_done(app)
    end_through_the_form(app, "U0L1")
    preview = command(app, "match pgy1 preview")
    [allow] = buttons(preview)[ids.MATCH_ALLOW_AGAIN]
    with app.db.unit_of_work() as uow:  # as a round confirmed meanwhile, still waiting on Slack, leaves it
        uow.session.execute(update(MatchRun).where(MatchRun.round == 1).values(status=RunStatus.CONFIRMED))
        uow.commit()
    before = runs(app)

    answer = click(app, ids.MATCH_ALLOW_AGAIN, FACILITATOR, allow)

    text = json.dumps(answer.args)
    assert "Round 1 of PGY-1 is still being created" in text
    assert ids.MATCH_CONFIRM not in text
    assert runs(app) == before  # nothing proposed, nothing replaced
