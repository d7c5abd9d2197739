"""Confirm pressed at the same moment on two replicas of the app sharing one database: made once in Slack."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from bot import ids
from circles.domain.vocabulary import MeetingPlace, PairingMode
from circles.persistence.models import Circle, Partnership
from tests.e2e.conftest import RunningApp
from tests.e2e.test_matching import FACILITATOR, NINE, command, seed, until_done


def test_confirm_pressed_on_two_replicas_at_once_creates_each_circle_once(
    serve_app: Callable[..., RunningApp], any_database: str
) -> None:
    one = serve_app(database_url=any_database, migrate=False, sending=True)
    other = serve_app(database_url=any_database, migrate=False, sending=True)
    seed(one, NINE, PairingMode.PEER, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    preview = command(one, "match pgy1 preview")
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    presses = [
        app.signer.block_action(
            ids.MATCH_CONFIRM, user_id=FACILITATOR, value=run_id, response_url=app.standin.response_url("c")
        )
        for app in (one, other)
    ]
    one.standin.clear()
    barrier = threading.Barrier(2)

    def press(app: RunningApp, index: int) -> None:
        barrier.wait()
        app.post(presses[index])

    pressing = [threading.Thread(target=press, args=(app, i)) for i, app in enumerate((one, other))]
    for thread in pressing:
        thread.start()
    for thread in pressing:
        thread.join(timeout=10)
    until_done(one)
    one.settled()
    other.settled()

    with one.db.unit_of_work() as uow:
        circles = uow.session.scalar(select(func.count()).select_from(Circle))
        pairs = uow.session.scalar(select(func.count()).select_from(Partnership))
    assert (circles, pairs) == (3, 4)
    assert len(one.standin.calls("conversations.create")) == 3
    pair_dms = [c for c in one.standin.calls("conversations.open") if "," in str(c.args.get("users", ""))]
    assert len(pair_dms) == 4
