"""Which DM events get an answer, and what the answer says, within Slack's limits, for any cohort wording."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import ids
from bot.listeners.events.direct_messages import typed_by_a_person
from bot.messages import render
from circles.domain.care import DEFAULT_WELLBEING_RESOURCES

BOT = "U0CIRCLESBOT"
TYPED: dict[str, Any] = {
    "type": "message",
    "channel": "D0LEE",
    "channel_type": "im",
    "user": "U0LEE",
    "text": "hi",
}


def test_a_person_typing_in_the_apps_dm_is_answered_with_or_without_a_file() -> None:
    assert typed_by_a_person(TYPED, BOT) == "U0LEE"
    assert typed_by_a_person(TYPED | {"subtype": "file_share"}, BOT) == "U0LEE"
    assert typed_by_a_person(TYPED | {"thread_ts": "1.0"}, BOT) == "U0LEE"


@pytest.mark.parametrize(
    "changes",
    [
        {"user": BOT},  # the app's own message
        {"user": "USLACKBOT"},  # Slackbot (a reminder set in the DM), not a person
        {"bot_id": "B0OTHER", "subtype": "bot_message"},  # another app
        {"bot_id": "B0OTHER"},
        {"subtype": "message_changed", "user": None},
        {"subtype": "message_deleted"},
        {"subtype": "channel_join"},
        {"channel_type": "channel"},
        {"channel_type": "mpim"},
        {"channel_type": None},
        {"user": None},
        {"user": ""},
        {"user": 7},
    ],
)
def test_everything_else_goes_unanswered(changes: dict[str, Any]) -> None:
    assert typed_by_a_person(TYPED | changes, BOT) is None


def answer(cohorts: list[dict[str, str]]) -> tuple[str, list[dict[str, Any]]]:
    message = render("direct_answer", {"cohorts": cohorts, "resources": DEFAULT_WELLBEING_RESOURCES})
    blocks = message.block_dicts()
    return json.dumps(blocks, ensure_ascii=False), blocks


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    # An empty value is left out of the payload, as Slack does: the support listener reads it as "".
    return [
        (e["action_id"], e.get("value", "")) for b in blocks if b["type"] == "actions" for e in b["elements"]
    ]


def test_a_member_is_told_nothing_is_read_here_and_offered_their_facilitators_and_resources() -> None:
    shown, blocks = answer(
        [{"slug": "pgy1", "name": "PGY-1 <spring>", "resources": "Call Sam & Jo on 4000."}]
    )
    assert "I don't read messages typed here" in shown
    assert "facilitators of *PGY-1 &lt;spring&gt;* privately" in shown
    assert buttons(blocks) == [(ids.SUPPORT_OPEN, "c:pgy1")]
    assert "Call Sam &amp; Jo on 4000." in shown
    assert DEFAULT_WELLBEING_RESOURCES not in shown


def test_someone_in_several_cohorts_chooses_in_the_form_and_sees_each_wording_once() -> None:
    cohorts = [
        {"slug": "faculty", "name": "Faculty", "resources": DEFAULT_WELLBEING_RESOURCES},
        {"slug": "pgy1", "name": "PGY-1", "resources": "Call the residency wellbeing line."},
        {"slug": "pgy2", "name": "PGY-2", "resources": "Call the residency wellbeing line."},
    ]
    shown, blocks = answer(cohorts)
    assert buttons(blocks) == [(ids.SUPPORT_OPEN, "")]
    assert shown.count("Call the residency wellbeing line.") == 1
    assert "(PGY-1, PGY-2)" in shown
    assert shown.count(DEFAULT_WELLBEING_RESOURCES) == 1


def test_someone_in_no_cohort_is_told_how_to_find_their_programme_and_where_to_turn() -> None:
    shown, blocks = answer([])
    assert buttons(blocks) == []
    assert "/circles join &lt;cohort&gt;" in shown
    assert DEFAULT_WELLBEING_RESOURCES in shown


def test_the_longest_wordings_full_of_markup_stay_within_a_section_and_are_cut_before_escaping() -> None:
    cohorts = [{"slug": f"c{n}", "name": "<&>" * 40, "resources": "<" * 1000 + str(n)} for n in range(12)]
    _, blocks = answer(cohorts)
    assert len(blocks) <= 50
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        assert len(text) <= 3000
        assert not text.endswith(
            ("&", "&l", "&lt", "&g", "&gt", "&a", "&am", "&amp")
        )  # never inside an escape
    sections = [b for b in blocks if b["type"] == "section" and "If it can't wait" in b["text"]["text"]]
    assert len(sections) == 5  # five different wordings at most
