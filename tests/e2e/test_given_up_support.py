"""Slack fails for longer than the retries last while a member's support request is on its way to their
facilitator: over the real app, the request is not lost. The admins have it once Slack works again, and the
member is told, privately, who has it; their words are in no failed row and no log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_unreachable_facilitator import ADMIN, WORDS, deps_of, posted_to, reachable_learner

GIVE_UP_AT_ONCE = DispatchOptions(look_up_dnd=False, max_attempts=1, tries=1)


def test_a_support_request_slack_kept_failing_reaches_an_admin_and_the_member_is_told(
    serve_app: Callable[..., RunningApp], caplog: pytest.LogCaptureFixture
) -> None:
    app = serve_app(circles_admins=frozenset({ADMIN, "U0COACH"}))
    coaching_pair(app, users=(ADMIN,))
    reachable_learner(app)
    caplog.set_level(logging.INFO)  # as the app logs (bot.logs): no request body
    assert app.post(app.signer.slash_command(f"support pgy1 {WORDS}", user_id="U0LEARN"))[0] == 200
    app.settled()
    app.standin.fail("chat.postMessage", status=503, times=None)  # longer than the retries last
    deps = deps_of(app)
    dispatch(deps, datetime.now(UTC), options=GIVE_UP_AT_ONCE)
    app.standin.clear_faults()  # Slack works again
    for _ in range(2):
        dispatch(deps, datetime.now(UTC), options=DispatchOptions(look_up_dnd=False))
    [to_admin] = posted_to(app, ADMIN)
    assert WORDS in to_admin
    [told] = posted_to(app, "U0LEARN")
    assert f"<@{ADMIN}>" in told
    assert WORDS not in told
    assert posted_to(app, "U0COACH") == []  # their partner, an admin too, never has it
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(row.channel, row.status) for row in rows] == [
            ("U0FAC", OutboxStatus.FAILED),
            (ADMIN, OutboxStatus.SENT),
            ("U0LEARN", OutboxStatus.SENT),
        ]
        assert WORDS not in f"{rows[0].payload} {rows[0].last_error}"
    assert WORDS not in caplog.text
