"""Shortening text for Slack: escaped once, cut after escaping, never inside an escape, token or character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.views.text import (
    clip_mrkdwn,
    fit_mrkdwn,
    fit_plain,
    from_slack,
    mrkdwn,
    pack_lines,
    quote_typed,
    slack_length,
)
from tests.slack_mrkdwn import mrkdwn_problems, text_problems

MARKUP = st.sampled_from(
    ["&", "<", ">", "*", "_", "~", "`", "<@U123>", "&amp;", "\u200f", "\u200d", "😀", "👩‍⚕️", "é"]
)
TYPED = st.lists(st.one_of(MARKUP, st.text(max_size=5)), max_size=400).map("".join)


def test_text_that_fits_is_only_escaped() -> None:
    assert fit_mrkdwn("R&D <3", 100) == "R&amp;D &lt;3"


def test_a_cut_never_falls_inside_an_escape() -> None:
    assert fit_mrkdwn("aaaa&bbbb", 7) == "aaaa…"
    assert fit_mrkdwn("aaaa&bbbb", 10) == "aaaa&amp;…"


def test_a_cut_never_falls_inside_a_mention_date_or_link() -> None:
    tokens = ("<@U0123ABC|ann>", "<#C0123|general>", "<!date^1700000000^{date}|1 Jan>", "<https://x.org|x>")
    for token in tokens:
        markup = f"see {token} now"
        for limit in range(2, len(markup)):
            kept = clip_mrkdwn(markup, limit).removesuffix("…")
            assert markup.startswith(kept)
            assert token in kept or "<" not in kept, kept


def test_a_joiner_before_an_escape_does_not_pull_half_the_escape_into_a_cut() -> None:
    for limit in range(2, 40):
        assert mrkdwn_problems(fit_mrkdwn("\u200d<" * 20, limit)) == []


def test_a_cut_keeps_an_emoji_and_its_joined_parts_together() -> None:
    assert fit_plain("ab👩‍⚕️cd", 5) == "ab…"
    assert fit_plain("🇬🇧🇫🇷", 5) == "🇬🇧…"


@settings(max_examples=150, deadline=None)
@given(TYPED, st.integers(min_value=2, max_value=300))
def test_any_typed_text_fits_its_limit_as_safe_mrkdwn(typed: str, limit: int) -> None:
    fitted = fit_mrkdwn(typed, limit)
    assert slack_length(fitted) <= limit
    assert mrkdwn_problems(fitted, typed_ampersand=True) == []
    if slack_length(mrkdwn(typed)) <= limit:
        assert fitted == mrkdwn(typed)
    else:
        assert fitted.endswith("…")


@settings(max_examples=100, deadline=None)
@given(TYPED, st.integers(min_value=1, max_value=200))
def test_any_plain_text_fits_its_limit_without_half_a_character(typed: str, limit: int) -> None:
    fitted = fit_plain(typed, limit)
    assert slack_length(fitted) <= limit
    assert text_problems(fitted) == []


@settings(max_examples=100, deadline=None)
@given(TYPED)
def test_escaping_what_slack_sent_gives_back_slacks_own_escaping(typed: str) -> None:
    assert mrkdwn(from_slack(mrkdwn(typed))) == mrkdwn(typed)
    assert from_slack(mrkdwn(typed)) == typed


def test_slack_escapes_are_undone_once_only() -> None:
    assert from_slack("I &lt;3 R&amp;D") == "I <3 R&D"
    assert from_slack("a &amp;amp; b &amp;lt;") == "a &amp; b &lt;"


def test_a_quote_of_typed_text_cannot_break_out_of_code() -> None:
    assert quote_typed("`rm` <!channel>") == "'rm' &lt;!channel&gt;"
    assert slack_length(quote_typed("&" * 100)) <= 80


@settings(max_examples=60, deadline=None)
@given(st.lists(TYPED.map(mrkdwn), max_size=60), st.integers(min_value=50, max_value=3000))
def test_packed_lines_each_fit_and_keep_every_line_in_order(lines: list[str], limit: int) -> None:
    packed = pack_lines(lines, limit)
    assert all(slack_length(text) <= limit for text in packed)
    if all(slack_length(line) <= limit for line in lines):
        assert "\n".join(packed) == "\n".join(lines)
