"""`&`, `<`, `>` typed in `/circles` text show as typed: unescaped once coming in, escaped once going out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.messages import render
from bot.views.text import mrkdwn
from circles.domain.vocabulary import Role
from circles.persistence.models import Cohort, OutboxMessage
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.slack_limits import assert_within_limits

ADMIN = "U0ADMIN"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(circles_admins=frozenset({ADMIN}))
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.PEER)
        uow.commit()
    return running


def type_command(app: RunningApp, typed: str, user_id: str) -> Call:
    """`/circles <typed>` as Slack sends it: its text escaped (`&amp;`, `&lt;`, `&gt;`)."""
    app.post(app.signer.slash_command(mrkdwn(typed), user_id=user_id))
    [answer] = app.standin.wait_for("response_url")
    return answer


def support_sent(app: RunningApp) -> str:
    with app.db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(OutboxMessage)).all()
        return str(row.payload["args"]["message"])


@pytest.mark.parametrize("typed", ["I <3 R&D", "write &amp; for an ampersand", "a > b && c < d"])
def test_a_support_message_reaches_the_facilitator_exactly_as_typed(app: RunningApp, typed: str) -> None:
    type_command(app, f"support {typed}", "U0LEE")
    assert support_sent(app) == typed
    message = render(
        "support_request", {"cohort_name": "PGY-1 spring", "member_user_id": "U0LEE", "message": typed}
    )
    assert_within_limits(message, typed=[typed])
    quoted = message.block_dicts()[1]["text"]
    assert quoted == {
        "type": "mrkdwn",
        "text": ">" + mrkdwn(typed),
    }  # escaped once: Slack shows what was typed


def test_a_cohort_name_with_markup_is_stored_as_typed_and_shown_escaped_once(app: RunningApp) -> None:
    answer = type_command(app, "cohort create rd-group R&D <3 circle", ADMIN)
    with app.db.unit_of_work() as uow:
        names = set(uow.session.scalars(select(Cohort.name)))
    assert "R&D <3 circle" in names
    assert "*R&amp;D &lt;3 circle*" in answer.args["blocks"][0]["text"]["text"]
    assert "&amp;amp;" not in str(answer.args)
    assert "&amp;lt;" not in str(answer.args)


def test_an_unknown_command_is_quoted_back_escaped_once(app: RunningApp) -> None:
    answer = type_command(app, "<3&more", "U0LEE")
    assert "`&lt;3&amp;more`" in str(answer.args)
