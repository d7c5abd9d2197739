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


# What Slack sends for text a person wrote with a mention, a channel, @here, a user group and a link in
# it: tokens, with `&` escaped inside them too.
WITH_TOKENS = (
    "ask <@U0ADA|ada>, <#C0123ABC|general> and <!here> or <!subteam^S0NURSE|@nurses>: "
    "<https://rota.example/a?b=1&amp;c=2|the rota> &amp; <https://rota.example>"
)
AS_SEEN = "ask @ada, #general and @here or @nurses: the rota (https://rota.example/a?b=1&c=2) & https://rota.example"


def test_mentions_and_links_in_a_support_message_reach_the_facilitator_as_the_member_saw_them(
    app: RunningApp,
) -> None:
    app.post(app.signer.slash_command(f"support {WITH_TOKENS}", user_id="U0LEE"))
    app.standin.wait_for("response_url")
    assert support_sent(app) == AS_SEEN
    message = render(
        "support_request", {"cohort_name": "PGY-1 spring", "member_user_id": "U0LEE", "message": AS_SEEN}
    )
    quoted = str(message.block_dicts()[1]["text"])
    assert "&lt;" not in quoted  # no token shown as its raw markup
    assert "<!here>" not in str(message.block_dicts())  # and none acted on


def test_a_cohort_named_with_a_channel_and_here_keeps_the_words_the_facilitator_saw(app: RunningApp) -> None:
    answer = type_command_raw(app, "cohort create wards Ward <#C0123ABC|general> <!here> team", ADMIN)
    with app.db.unit_of_work() as uow:
        names = set(uow.session.scalars(select(Cohort.name)))
    assert "Ward #general @here team" in names
    assert "*Ward #general @here team*" in answer.args["blocks"][0]["text"]["text"]


def test_a_typed_special_mention_as_an_unknown_command_is_quoted_back_as_words(app: RunningApp) -> None:
    answer = type_command_raw(app, "<!channel> hello", "U0LEE")
    assert "`@channel`" in str(answer.args)
    assert "<!channel>" not in str(answer.args)


def type_command_raw(app: RunningApp, text: str, user_id: str) -> Call:
    """`/circles <text>` with the text exactly as Slack sends it (tokens and escapes already in place)."""
    app.post(app.signer.slash_command(text, user_id=user_id))
    [answer] = app.standin.wait_for("response_url")
    return answer
