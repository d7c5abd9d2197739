"""Slack refuses a member's support request for what it holds (too long, blocks it will not take), or the app
cannot build it: over the real app and dispatcher, the request is not lost silently. The facilitator it was
for is told that the member asked, without their words, and the member is told, once, that it could not be
shown and to contact them directly; nobody else has it, and the words are in no row and no log."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import messages as renderers
from bot.dispatch import DispatchOptions, dispatch
from bot.views.message import Message
from circles.domain.vocabulary import OutboxStatus
from circles.messages import Payload, SupportRequest, stored
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.outbox.refused import fail_refused
from circles.services.outbox.unreachable import Unreachable
from circles.services.support.unshown import request_unshown
from tests import factories
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_unreachable_facilitator import ADMIN, WORDS, deps_of, reachable_learner

PASSES = DispatchOptions(look_up_dnd=False)


def shown_to(app: RunningApp, user: str) -> list[str]:
    """What each message Slack took for this person's DM showed, as one text each (refused ones left out)."""
    calls = app.standin.calls(
        "chat.postMessage",
        lambda call: (
            call.args.get("channel") == user and isinstance(call.response, dict) and call.response["ok"]
        ),
    )
    return [json.dumps(call.args) for call in calls]


def asked(serve_app: Callable[..., RunningApp], *facilitators: str, **settings: object) -> RunningApp:
    """The learner asks their facilitator (and any other `facilitators` of the cohort) for support."""
    app = serve_app(circles_admins=frozenset({ADMIN}), **settings)
    coaching_pair(app, users=(ADMIN, *facilitators))
    reachable_learner(app)
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        for user in facilitators:
            factories.facilitator(uow.session, cohort, user)
        uow.commit()
    assert app.post(app.signer.slash_command(f"support pgy1 {WORDS}", user_id="U0LEARN"))[0] == 200
    app.settled()
    return app


def outbox(app: RunningApp) -> list[OutboxMessage]:
    with app.db.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        uow.session.expunge_all()
        return rows


@pytest.mark.parametrize("error", ["msg_too_long", "invalid_blocks", "a_code_slack_adds_later"])
def test_a_support_request_slack_refuses_is_not_lost_the_facilitator_and_the_member_are_told(
    serve_app: Callable[..., RunningApp], caplog: pytest.LogCaptureFixture, error: str
) -> None:
    app = asked(serve_app)
    caplog.set_level(logging.INFO)  # as the app logs (bot.logs): no request body
    app.standin.error("chat.postMessage", error, times=1)
    deps = deps_of(app)
    for _ in range(3):  # the pass that meets the refusal, the next one, and one more that finds nothing
        dispatch(deps, datetime.now(UTC), options=PASSES)
    [to_facilitator] = shown_to(app, "U0FAC")
    assert "<@U0LEARN> asked you for support" in to_facilitator
    assert "reach out to them directly" in to_facilitator
    assert WORDS not in to_facilitator
    [told] = shown_to(app, "U0LEARN")
    assert "could not be shown to the people it was for" in told
    assert "contact them directly" in told
    assert WORDS not in told
    assert shown_to(app, ADMIN) == []  # sent again it would be refused again: nobody else has it
    assert shown_to(app, "U0COACH") == []  # never their partner
    rows = outbox(app)
    assert [(row.channel, row.status, row.last_error) for row in rows] == [
        ("U0FAC", OutboxStatus.FAILED, error),
        ("U0FAC", OutboxStatus.SENT, None),
        ("U0LEARN", OutboxStatus.SENT, None),
    ]
    assert all(WORDS not in f"{row.payload} {row.last_error}" for row in rows)
    assert WORDS not in caplog.text


def test_a_support_request_the_app_cannot_build_is_not_lost_either(
    serve_app: Callable[..., RunningApp], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = asked(serve_app)
    caplog.set_level(logging.INFO)

    def broken(request: SupportRequest) -> Message:
        raise ValueError(request.message)  # a renderer's bug: its text is never logged

    renderers.registered()  # every renderer loaded first, then this one replaced
    kind: type[Payload] = SupportRequest
    monkeypatch.setitem(renderers._RENDERERS, kind, broken)
    deps = deps_of(app)
    for _ in range(3):
        dispatch(deps, datetime.now(UTC), options=PASSES)
    [to_facilitator] = shown_to(app, "U0FAC")
    assert "<@U0LEARN> asked you for support" in to_facilitator
    [told] = shown_to(app, "U0LEARN")
    assert "could not be shown" in told
    assert shown_to(app, ADMIN) == []
    assert [(row.channel, row.status, row.last_error) for row in outbox(app)] == [
        ("U0FAC", OutboxStatus.FAILED, "unbuildable:ValueError"),
        ("U0FAC", OutboxStatus.SENT, None),
        ("U0LEARN", OutboxStatus.SENT, None),
    ]
    assert WORDS not in caplog.text


def test_a_request_refused_for_two_facilitators_tells_each_of_them_and_the_member_only_once(
    serve_app: Callable[..., RunningApp], any_database: str
) -> None:
    app = asked(serve_app, "U0FAC2", database_url=any_database, migrate=False)
    app.standin.error("chat.postMessage", "msg_too_long", times=2)  # both copies: the same words
    deps = deps_of(app)
    for _ in range(3):
        dispatch(deps, datetime.now(UTC), options=PASSES)
    assert len(shown_to(app, "U0FAC")) == 1
    assert len(shown_to(app, "U0FAC2")) == 1
    [told] = shown_to(app, "U0LEARN")
    assert WORDS not in told
    statuses = sorted((row.channel, row.status) for row in outbox(app))
    assert statuses == [
        ("U0FAC", OutboxStatus.FAILED),
        ("U0FAC", OutboxStatus.SENT),
        ("U0FAC2", OutboxStatus.FAILED),
        ("U0FAC2", OutboxStatus.SENT),
        ("U0LEARN", OutboxStatus.SENT),
    ]


def test_the_refusal_recorded_again_tells_nobody_twice(serve_app: Callable[..., RunningApp]) -> None:
    app = asked(serve_app)
    app.standin.error("chat.postMessage", "invalid_blocks", times=1)
    deps = deps_of(app)
    for _ in range(3):
        dispatch(deps, datetime.now(UTC), options=PASSES)
    [refused, *_] = before = outbox(app)
    # As a redelivery of the same outcome, or a second copy's failure, would record it again.
    again = Unreachable(
        refused.id,
        1,
        refused.workspace_id,
        refused.idempotency_key,
        "U0FAC",
        stored(SupportRequest("PGY-1", "U0LEARN")),
    )
    assert not fail_refused(app.db.unit_of_work(), again, "invalid_blocks", datetime.now(UTC))  # fenced
    with app.db.unit_of_work() as uow:
        assert request_unshown(uow.session, again, SupportRequest("PGY-1", "U0LEARN"), datetime.now(UTC)) == 0
        uow.commit()
    dispatch(deps, datetime.now(UTC), options=PASSES)
    assert [row.id for row in outbox(app)] == [row.id for row in before]
    assert len(shown_to(app, "U0FAC")) == 1
    assert len(shown_to(app, "U0LEARN")) == 1
