"""The planner's messages read warmly, show a team's text as written, and fit Slack's blocks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.models.blocks import SectionBlock

from bot.messages import render
from prompts.tracks import FOLLOW_UP_LIMIT, PROMPT_LIMIT, THEME_LIMIT, load_track


def args(**changes: Any) -> dict[str, Any]:
    base = {
        "prompt_id": "trust-first-days",
        "theme": "Building trust",
        "text": "Who made it easier to ask a question?",
        "follow_up": "What could you do for someone newer?",
        "cohort_name": "PGY-1 spring",
        "week": 1,
    }
    return {**base, **changes}


def section_texts(template: str, values: dict[str, Any]) -> list[str]:
    blocks = render(template, values).blocks
    return [block.text.text for block in blocks if isinstance(block, SectionBlock) and block.text is not None]


def test_a_circle_prompt_has_the_week_and_theme_the_prompt_and_its_follow_up() -> None:
    message = render("circle_prompt", args(week=3))
    [body] = section_texts("circle_prompt", args(week=3))
    assert message.text == "This week's reflection: Building trust"
    assert body.startswith("*Week 3 · Building trust*\nWho made it easier")
    assert "_If you'd like to go further:_ What could you do for someone newer?" in body
    assert "stays in the circle" in str(message.block_dicts())


def test_a_prompt_without_a_follow_up_has_no_empty_line_for_it() -> None:
    [body] = section_texts("pair_prompt", args(follow_up=None))
    assert body == "*For your next conversation · Building trust*\nWho made it easier to ask a question?"


def test_a_coach_idea_says_it_is_private_and_names_the_cohort() -> None:
    message = render("coach_idea", args(cohort_name="Nights & weekends"))
    # Notifications read the fallback as mrkdwn too: escaped once, Slack shows "Nights & weekends".
    assert message.text == "A session idea for Nights &amp; weekends: Building trust"
    assert "Only you see this, as a coach or mentor in Nights &amp; weekends" in str(message.block_dicts())


@pytest.mark.parametrize("template", ["circle_prompt", "pair_prompt", "coach_idea"])
def test_a_teams_own_text_is_shown_as_written_and_cannot_mention_anyone(template: str) -> None:
    [body] = section_texts(template, args(theme="<Trust>", text="Ping <!channel> & <@U123>"))
    assert "&lt;Trust&gt;" in body
    assert "Ping &lt;!channel&gt; &amp; &lt;@U123&gt;" in body


@pytest.mark.parametrize("template", ["circle_prompt", "pair_prompt", "coach_idea"])
def test_the_longest_prompt_a_track_may_hold_still_fits_one_section(template: str) -> None:
    longest = args(
        theme="t" * THEME_LIMIT,
        text="&" * ((PROMPT_LIMIT - FOLLOW_UP_LIMIT) // 5),
        follow_up="<" * (FOLLOW_UP_LIMIT // 4),
        cohort_name="c" * 120,
        week=52,
    )
    blocks = render(template, longest).block_dicts()  # slack_sdk refuses a section over 3,000 characters
    sizes = [len(json.dumps(block["text"])) for block in blocks if block["type"] == "section"]
    assert 2600 < max(sizes) <= 3000


def test_every_prompt_of_the_default_track_renders() -> None:
    for prompt in load_track("default").prompts:
        template = {"circle": "circle_prompt", "pair": "pair_prompt", "coach": "coach_idea"}[prompt.audience]
        values = args(prompt_id=prompt.id, theme=prompt.theme, text=prompt.text, follow_up=prompt.follow_up)
        assert prompt.theme in render(template, values).text
