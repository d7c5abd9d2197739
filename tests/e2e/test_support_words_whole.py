"""What a member asks for in `/circles support <message>` reaches the facilitators whole: every word, as
typed, however long (up to all Slack lets anyone type in one message), and a first word that happens to be
the cohort's name is still part of the message when the member has only that one cohort."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.views.text import mrkdwn
from circles.domain.vocabulary import Role
from circles.services.support.request import SUPPORT_MESSAGE_MAX
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.slack_limits import assert_within_limits

SLACK_MESSAGE_MAX = 4000  # the most anyone can type in one Slack message, a slash command's too


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Lee is in `nights` only; Kim in `nights` and `days`. Fay runs both and keeps no quiet hours."""
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        nights = factories.cohort(uow.session, ws, "nights", "Night shifts")
        days = factories.cohort(uow.session, ws, "days", "Day shifts")
        for cohort in (nights, days):
            factories.facilitator(uow.session, cohort, "U0FAY")
            factories.member(uow.session, cohort, "U0KIM", Role.PEER)
        factories.member(uow.session, nights, "U0LEE", Role.PEER)
        factories.profile(uow.session, ws, "U0FAY", "UTC").quiet_hours = ""
        uow.commit()
    for user in ("U0LEE", "U0KIM", "U0FAY"):
        running.standin.add_user(user)
    return running


def support(app: RunningApp, typed: str, user: str = "U0LEE") -> tuple[str, Call]:
    """Type `/circles support <typed>` as Slack sends it (`&`, `<`, `>` escaped): the member's answer, and
    the direct message the facilitator receives."""
    app.standin.clear()
    assert app.post(app.signer.slash_command("support " + mrkdwn(typed), user_id=user))[0] == 200
    [answer] = app.standin.wait_for("response_url")
    [received] = app.standin.wait_for(
        "chat.postMessage", predicate=lambda c: c.args.get("channel") == "U0FAY"
    )
    return json.dumps(answer.args, ensure_ascii=False), received


def quoted(received: Call) -> str:
    """What the facilitator reads of the member's words: every quoted section, as one text."""
    blocks: list[dict[str, Any]] = received.args["blocks"]
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["text"][:1] == ">"]
    return "\n".join(sections)


def as_read(markup: str) -> str:
    """The quote as a person reads it: no quote marks, escapes shown as the characters they stand for."""
    lines = [line.removeprefix(">") for line in markup.split("\n")]
    return "".join(lines).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("A&E -> ward -> A&E & back " * 70 + "PLEASE CALL ME TODAY", id="many-escapes"),
        pytest.param("&" * (SLACK_MESSAGE_MAX - 20) + "PLEASE CALL ME TODAY", id="all-ampersands"),
        pytest.param(
            ("I can't <sleep> & eat\n" * 200)[: SLACK_MESSAGE_MAX - 20] + "PLEASE CALL ME", id="lines"
        ),
        pytest.param("😢" * (SLACK_MESSAGE_MAX - 20) + "PLEASE CALL ME TODAY", id="emoji"),
    ],
)
def test_a_support_message_the_member_is_told_was_passed_on_reaches_the_facilitator_whole(
    app: RunningApp, typed: str
) -> None:
    answer, received = support(app, typed)
    assert "reached the facilitators" in answer
    assert "…" not in quoted(received)
    assert as_read(quoted(received)) == typed.replace("\n", "")
    assert_within_limits(received.args, typed=[typed])


def test_a_support_message_as_long_as_slack_lets_anyone_type_is_taken(app: RunningApp) -> None:
    assert SUPPORT_MESSAGE_MAX >= SLACK_MESSAGE_MAX
    typed = "x" * (SLACK_MESSAGE_MAX - 20) + " please call me"
    answer, received = support(app, typed)
    assert "reached the facilitators" in answer
    assert as_read(quoted(received)).endswith("please call me")


def test_the_first_word_of_a_support_message_is_kept_when_it_happens_to_be_the_cohort_slug(
    app: RunningApp,
) -> None:
    answer, received = support(app, "nights are really hard for me at the moment")
    assert "Night shifts" in answer
    assert as_read(quoted(received)) == "nights are really hard for me at the moment"


def test_someone_in_several_cohorts_still_names_one_with_the_first_word(app: RunningApp) -> None:
    answer, received = support(app, "days I'd like to talk about my rota", user="U0KIM")
    assert "Day shifts" in answer
    assert as_read(quoted(received)) == "I'd like to talk about my rota"
