"""A coach mutes the daily digest from its button, over HTTP with signed requests."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import Member
from tests import factories
from tests.e2e.conftest import RunningApp


def test_the_coach_mutes_their_digest_and_nobody_else_can(serve_app: Callable[..., RunningApp]) -> None:
    app = serve_app()
    with app.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH).id
        factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        uow.commit()

    def click(user: str, value: str) -> str:
        app.standin.clear()
        url = app.standin.response_url(user)
        app.post(app.signer.block_action(ids.NUDGE_MUTE, user_id=user, value=value, response_url=url))
        [answer] = app.standin.wait_for("response_url", timeout=10)
        return json.dumps(answer.args)

    assert "not in any cohort" in click("U0LEARN", f"{coach}:2")
    assert "out of date" in click("U0COACH", "1;drop")
    assert "muted until" in click("U0COACH", f"{coach}:2")
    with app.db.unit_of_work() as uow:
        muted = dict(uow.session.execute(select(Member.slack_user_id, Member.nudges_muted_until)).all())
    assert muted["U0COACH"] is not None
    assert muted["U0LEARN"] is None
