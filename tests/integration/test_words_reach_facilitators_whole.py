"""Words someone is told reached the facilitators arrive whole: a workflow's note to a cohort's
facilitators, and the reason given for ending a partnership, each up to the longest the app accepts, however
much Slack's escapes (`&` is five characters) and emoji (two) grow it. Over several sections if need be."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.messages import render
from bot.views.endings import change_confirmed
from circles.domain.workflow_steps import STEP_TEXT_MAX, text_input
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.partnerships.changes import REASON_LIMIT, end_partnership
from circles.services.workflows.steps import message_facilitators
from tests import factories
from tests.factories import NOW
from tests.integration.test_endings import pair
from tests.integration.test_workflow_steps import world as world  # a fixture
from tests.slack_limits import assert_within_limits

TAIL = "PLEASE CALL ME TODAY"


def longest(pattern: str, limit: int) -> str:
    """The pattern repeated to `limit` characters, ending in words a facilitator must not miss."""
    return (pattern * limit)[: limit - len(TAIL)] + TAIL


TEXTS = [
    pytest.param("A&E -> ward <3 & back 😢 ", id="many-escapes"),
    pytest.param("&<😢&", id="escapes-and-emoji"),
    pytest.param("&", id="all-ampersands"),
    pytest.param("<", id="all-less-thans"),
    pytest.param("😢", id="emoji"),
    pytest.param("<&> 😢 &\n", id="lines"),
]


def rendered(db: Database, template: str, channel: str) -> dict[str, Any]:
    """The message that channel will receive from this template, as sent to Slack."""
    with db.unit_of_work() as uow:
        [row] = [
            row
            for row in uow.session.scalars(select(OutboxMessage))
            if row.channel == channel and row.payload["template"] == template
        ]
        message = render(template, row.payload["args"])
    return {"text": message.text, "blocks": message.block_dicts()}


def quoted(message: dict[str, Any], heading: str = "") -> str:
    """What the facilitator reads of the words: every quoted section (after any heading), as one text."""
    texts = [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]
    texts = [text.removeprefix(heading) for text in texts]
    return "\n".join(text for text in texts if text[:1] == ">")


def as_read(markup: str) -> str:
    """The quote as a person reads it: no quote marks, escapes shown as the characters they stand for."""
    lines = [line.removeprefix(">") for line in markup.split("\n")]
    return "".join(lines).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize("pattern", TEXTS)
def test_the_longest_note_a_workflow_may_send_reaches_every_facilitator_whole(
    world: Database, pattern: str
) -> None:
    text = text_input(longest(pattern, STEP_TEXT_MAX))  # accepted as the step's input
    assert len(text) == STEP_TEXT_MAX
    key = factories.request_key()
    assert message_facilitators(world.unit_of_work(), "T0001", "pgy1-spring", text, NOW, key=key) == 2
    for facilitator in ("U0FAY", "U0GUS"):
        received = rendered(world, "workflow_note", facilitator)
        assert "…" not in quoted(received)
        assert as_read(quoted(received)) == text.replace("\n", "")
        assert_within_limits(received, typed=[text])


@pytest.mark.parametrize("pattern", TEXTS)
def test_the_longest_reason_for_ending_reaches_the_facilitator_whole(db: Database, pattern: str) -> None:
    reason = longest(pattern, REASON_LIMIT)
    partnership_id = pair(db)
    key = factories.request_key()
    change = end_partnership(
        db.unit_of_work(), "T0001", "U0LEARN", partnership_id, reason, NOW, request_key=key
    )
    assert "<@U0FAC> can see what you wrote" in change_confirmed(change)
    received = rendered(db, "partnership_report", "U0FAC")
    assert "…" not in quoted(received, "*Their reason:*\n")
    assert as_read(quoted(received, "*Their reason:*\n")) == reason.replace("\n", "")
    assert_within_limits(received, typed=[reason])
