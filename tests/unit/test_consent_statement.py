"""A research statement is read whole before anyone agrees to it: `/circles consent` shows every word of
the longest statement a cohort may keep, however much escaping it needs, with the buttons under it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.views.consent import consent_message, home_research_blocks
from bot.views.text import mrkdwn
from circles.domain.research.consent import STATEMENT_MAX, ConsentRecord, Decision, statement_problem
from circles.services.research.consent import CohortConsent
from tests.slack_limits import assert_within_limits

AGREED = ConsentRecord(Decision.GIVEN, datetime(2027, 1, 1, tzinfo=UTC), "3")
# As long as a statement may be, with what escaping makes longer: "<5" is "&lt;5", "&" is "&amp;".
LONGEST = ("Cells of <5 people & >0 are hidden & <safe>. " * 60)[:STATEMENT_MAX]


def shown_texts(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(block["text"]["text"] for block in blocks if block["type"] == "section")


def test_the_longest_statement_is_shown_whole_with_the_buttons_under_it() -> None:
    assert statement_problem(LONGEST) is None
    cohorts = [CohortConsent(f"pgy{n}", f"PGY-{n} & co", LONGEST, "3", AGREED) for n in range(12)]

    message = consent_message(cohorts)
    blocks: list[dict[str, Any]] = [block.to_dict() for block in message.blocks]

    assert_within_limits(message, typed=[LONGEST, "PGY-1 & co"])
    first = blocks[: next(n for n, block in enumerate(blocks) if block["type"] == "actions") + 1]
    words = shown_texts(first).split("\n", 1)[1].replace("\n", "")
    assert words == mrkdwn(LONGEST)  # before: cut at 2,500 characters once escaped, and a pointer to itself
    assert "Read the statement in full" not in shown_texts(blocks)
    assert first[-1]["elements"][0]["action_id"] == "consent_give"
    assert blocks[-1]["type"] == "context"  # the cohorts that did not fit are a line, not cut off
    assert "more cohort" in blocks[-1]["elements"][0]["text"]


def test_home_shortens_a_long_statement_and_says_where_to_read_it_whole() -> None:
    blocks = [
        b.to_dict() for b in home_research_blocks([CohortConsent("pgy1", "PGY-1", LONGEST, "3", AGREED)])
    ]

    assert "Read the statement in full with `/circles consent`." in shown_texts(blocks)


def test_a_statement_is_counted_as_slacks_forms_count_an_emoji_twice() -> None:
    assert statement_problem("🙂" * (STATEMENT_MAX // 2)) is None
    assert statement_problem("🙂" * (STATEMENT_MAX // 2 + 1)) is not None  # before: kept, and cut when shown
