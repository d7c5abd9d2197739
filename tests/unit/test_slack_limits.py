"""The limits checker itself: it finds each kind of problem Slack would refuse or mangle."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.gateway.history import metadata
from bot.views.message import Message
from tests.slack_limits import SlackLimitsExceeded, assert_within_limits, problems


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def message(*blocks: dict[str, Any], text: str = "fallback") -> dict[str, Any]:
    return {"text": text, "blocks": list(blocks)}


def test_a_plain_message_within_every_limit_has_no_problems() -> None:
    ok = Message(
        text="Hello <@U123>",
        blocks=[
            HeaderBlock(text="Circles"),
            SectionBlock(text=MarkdownTextObject(text="*R&amp;D* &lt;3 <@U123|ann> <!date^1^{date}|1 Jan>")),
            ActionsBlock(elements=[ButtonElement(text="Go", action_id="go", value="1")]),
        ],
    )
    assert problems(ok) == []
    assert_within_limits(ok)


def test_more_than_fifty_blocks_in_a_message_and_a_hundred_in_a_view_are_problems() -> None:
    assert "51 blocks, more than 50" in problems(message(*[section("x")] * 51))
    assert problems(message(*[section("x")] * 50)) == []
    home = {"type": "home", "blocks": [section("x")] * 101}
    assert "101 blocks, more than 100" in problems(home)


def test_a_section_over_three_thousand_characters_or_empty_is_a_problem() -> None:
    assert any("3001 characters" in p for p in problems(message(section("a" * 3001))))
    assert any("0 characters" in p for p in problems(message(section(""))))


def test_an_emoji_counts_as_two_characters_as_slack_may_count_them() -> None:
    assert any("3000" in p for p in problems(message(section("😀" * 1501))))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("R&D", "broken escape"),
        ("fish &am", "broken escape"),
        ("see <cohort>", "unescaped or cut `<`"),
        ("hi <@U123", "unescaped or cut `<`"),
        ("<!channel> look", "unescaped or cut `<`"),
        ("I &amp;lt;3 it", "double escaping"),
        ("half \ud83d", "surrogate"),
    ],
)
def test_broken_mrkdwn_is_a_problem(text: str, words: str) -> None:
    found = problems(message(section(text)))
    assert any(words in p for p in found), found


def test_an_escaped_entity_is_fine_when_someone_typed_an_ampersand() -> None:
    typed = "I &lt;3 it"  # typed as written, escaped once: &amp;lt;3
    assert problems(message(section("I &amp;lt;3 it")), typed=[typed]) == []


def test_the_fallback_text_is_checked_like_mrkdwn_and_must_be_there() -> None:
    assert any("fallback text" in p for p in problems(message(section("x"), text="a <b")))
    assert any("fallback text" in p for p in problems(message(section("x"), text="")))


def test_what_slack_sdk_refuses_is_reported_and_still_checked_in_full() -> None:
    too_long = Message(text="t", blocks=[HeaderBlock(text="h" * 151)])
    found = problems(too_long)
    assert any("slack_sdk refuses" in p for p in found)
    assert any("151 characters (1–150)" in p for p in found)


def test_elements_are_held_to_their_own_limits() -> None:
    options = [Option(text="o" * 76, value=str(n)) for n in range(101)]
    blocks = [
        ActionsBlock(
            elements=[
                ButtonElement(text="b" * 76, action_id="a" * 256, value="v" * 2001),
                StaticSelectElement(action_id="s", placeholder="p" * 151, options=options),
            ]
        ),
        ContextBlock(elements=[MarkdownTextObject(text=str(n)) for n in range(11)]),
    ]
    found = "\n".join(problems(Message(text="t", blocks=blocks)))
    for words in (
        "button text: 76 characters",
        "action_id: 256 characters",
        "value: 2001 characters",
        "101 options, more than 100",
        "option text: 76 characters",
        "placeholder: 151 characters",
        "11 context elements",
    ):
        assert words in found


def test_a_modal_is_held_to_its_title_buttons_metadata_and_inputs() -> None:
    view = View(
        type="modal",
        title="A title far longer than twenty-four",
        close="Close",
        callback_id="c",
        private_metadata="m" * 3001,
        blocks=[
            InputBlock(
                label="l",
                element=PlainTextInputElement(action_id="a", max_length=10, initial_value="x" * 11),
            )
        ],
    )
    found = "\n".join(problems(view))
    for words in ("title:", "private_metadata: 3001", "needs a submit", "initial_value: 11 characters"):
        assert words in found


def test_a_block_id_used_twice_and_too_many_chosen_users_are_problems() -> None:
    twice = {"type": "section", "block_id": "b", "text": {"type": "mrkdwn", "text": "x"}}
    assert any("used twice" in p for p in problems(message(twice, twice)))
    picker = {
        "type": "multi_users_select",
        "action_id": "a",
        "initial_users": ["U1", "U2"],
        "max_selected_items": 1,
    }
    form = {"type": "input", "label": {"type": "plain_text", "text": "l"}, "element": picker}
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "t"},
        "submit": {"type": "plain_text", "text": "s"},
    }
    assert any("max_selected_items" in p for p in problems(view | {"blocks": [form]}))


def test_a_failed_check_lists_every_problem_in_words() -> None:
    with pytest.raises(SlackLimitsExceeded, match=r"2 problem\(s\)") as failed:
        assert_within_limits(message(section("a" * 3001), section("R&D")))
    assert "block 0 (section)" in str(failed.value)
    assert "block 1 (section)" in str(failed.value)


def test_the_outbox_key_in_a_message_s_metadata_is_within_limits_at_its_longest() -> None:
    sent = message(section("x")) | {"metadata": metadata("k" * 255)}
    assert problems(sent) == []
    assert any("event_type" in p for p in problems(sent | {"metadata": {"event_type": "a b"}}))
