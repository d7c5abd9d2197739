"""Rows recorded before messages were typed still read, render and keep their shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.messages import render
from circles.messages import parse
from tests.slack_limits import assert_within_limits
from tests.stored_rows import CARD, CURRENT, OLDER, RESOLVED_CARD


def shown(template: str, args: dict[str, Any]) -> str:
    message = render(template, args)
    assert_within_limits(message)
    return message.text + json.dumps(message.block_dicts(), ensure_ascii=False)


@pytest.mark.parametrize(("template", "args"), CURRENT, ids=[t for t, _ in CURRENT])
def test_a_row_in_todays_shape_reads_back_to_exactly_its_arguments(
    template: str, args: dict[str, Any]
) -> None:
    assert parse(template, args).to_args() == args
    assert shown(template, args)


@pytest.mark.parametrize(("template", "args"), OLDER, ids=[t for t, _ in OLDER])
def test_an_older_row_still_renders_and_is_written_back_in_todays_shape(
    template: str, args: dict[str, Any]
) -> None:
    again = parse(template, args).to_args()
    assert shown(template, again) == shown(template, args)
    assert parse(template, again) == parse(template, args)


def test_an_old_alert_shows_what_it_showed_before() -> None:
    text = shown("escalation", CARD)
    assert "<@U0COACH> and <@U0LEARN> (coach and learner) in *PGY-1*: health is *struggling*." in text
    assert "19 Oct needs attention → 2 Nov struggling" in text
    assert "&lt;!channel&gt; rated it 1" in text
    assert "<@U0LEARN>, 19 Oct:" in text
    resolved = shown("escalation", RESOLVED_CARD)
    assert "Resolved by <@U0FAC1>" in resolved
    assert ": they reconnected." in resolved
    assert ">They found a &lt;new&gt; time" in resolved


def test_an_old_one_cohort_digest_shows_its_cohort_and_nudges() -> None:
    [(template, args)] = [(t, a) for t, a in OLDER if t == "coach_digest"]
    text = shown(template, args)
    assert "No meeting with <@U0L> reported for 30 days" in text
    assert "*PGY-1*" in text
    assert "Monday to Friday" in text  # no days recorded: the working week
