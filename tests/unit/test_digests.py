"""A coach's digest: which days and hours, how much it shows, and the full list within Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest

from bot import ids
from bot.messages import render
from bot.views.digest import chosen_days, days_in_words, days_modal, digest_message, digest_modal
from circles.domain.digests import (
    WORKING_WEEK,
    DigestSection,
    InvalidWorkingDays,
    digest_day,
    stored_days,
    working_days,
)
from circles.domain.nudges import Nudge, NudgeKind
from tests.slack_limits import problems

MONDAY = datetime(2027, 1, 4, 15, 30, tzinfo=UTC)  # 09:30 in Chicago
SATURDAY = datetime(2027, 1, 9, 15, 30, tzinfo=UTC)
LONG_NAME = "<Residents & fellows> " * 5  # 110 characters, all of them needing escapes at worst


def section(name: str, partners: int) -> DigestSection:
    nudges = []
    for n in range(partners):
        tag = "".join(c for c in name.upper() if c.isascii() and c.isalnum())[:3]
        partner = f"U0{tag:X<3}{n:027d}"  # the longest user id the schema keeps
        nudges += [Nudge(NudgeKind.NO_MEETING, partner, 400), Nudge(NudgeKind.CHECKIN_WAITING, partner, 12)]
    return DigestSection(name, (*nudges, Nudge(NudgeKind.REQUEST_WAITING, None, 20)))


def shown(surface: object) -> str:
    return json.dumps(surface, ensure_ascii=False)


def test_nothing_stored_means_monday_to_friday_and_unreadable_days_are_ignored() -> None:
    assert working_days(None) == WORKING_WEEK
    assert working_days("56") == {5, 6}
    assert working_days("9x") == WORKING_WEEK
    assert stored_days([4, 0, 0]) == "04"
    with pytest.raises(InvalidWorkingDays):
        stored_days([])
    with pytest.raises(InvalidWorkingDays):
        stored_days([7])


def test_the_digest_comes_in_the_persons_morning_on_their_working_days_only() -> None:
    chicago = "America/Chicago"
    assert digest_day(chicago, [time(9)], WORKING_WEEK, MONDAY) == date(2027, 1, 4)
    assert digest_day(chicago, [time(10)], WORKING_WEEK, MONDAY) is None  # not yet
    assert digest_day(chicago, [time(10), time(8)], WORKING_WEEK, MONDAY) == date(2027, 1, 4)  # earliest
    assert digest_day(chicago, [None], WORKING_WEEK, MONDAY) == date(2027, 1, 4)  # 09:00 by default
    assert digest_day(chicago, [time(1)], WORKING_WEEK, MONDAY) is None  # past the window
    assert digest_day(chicago, [time(9)], WORKING_WEEK, SATURDAY) is None
    assert digest_day(chicago, [time(9)], frozenset({5}), SATURDAY) == date(2027, 1, 9)
    # Saturday 01:30 in Tokyo is still Friday in Chicago: the person's own zone decides the day.
    assert digest_day("Asia/Tokyo", [time(1)], WORKING_WEEK, datetime(2027, 1, 8, 16, 30, tzinfo=UTC)) is None


def test_a_digest_shows_eight_lines_then_how_many_more_with_a_button_to_all() -> None:
    sections = [section(LONG_NAME, 25), section("Beta", 25)]
    text = shown(digest_message(sections, 7, WORKING_WEEK).block_dicts())
    blocks = json.loads(text)
    assert text.count("• ") == 8
    assert "…and 94 more." in text
    actions = {e["action_id"]: e["value"] for b in blocks for e in b.get("elements", []) if "action_id" in e}
    accessory = [b["accessory"]["action_id"] for b in blocks if "accessory" in b]
    assert accessory == [ids.DIGEST_MORE]
    assert actions[ids.NUDGE_MUTE] == "7:2"
    assert ids.DIGEST_DAYS_OPEN in actions
    assert "Monday to Friday" in text
    assert "&lt;Residents &amp; fellows&gt;" in text
    assert problems({"text": "t", "blocks": blocks}) == []


def test_a_short_digest_has_no_more_button() -> None:
    blocks = digest_message([section("Alpha", 1)], 7, frozenset({0, 2, 4})).block_dicts()
    assert ids.DIGEST_MORE not in shown(blocks)
    assert "Monday, Wednesday and Friday" in shown(blocks)


def test_the_full_list_of_twenty_five_partners_in_several_cohorts_fits_one_modal() -> None:
    sections = [section(f"{LONG_NAME}{n}", 25) for n in range(6)]
    view = digest_modal(sections).to_dict()
    assert problems(view) == []
    assert shown(view).count("• ") == 6 * 51


def test_the_full_list_fits_when_the_cohort_name_is_all_emoji_which_slack_counts_twice() -> None:
    name = "😀" * 120  # as long as the settings form allows
    view = digest_modal([section(name, 25)]).to_dict()
    assert problems(view, typed=[name]) == []
    assert shown(view).count("• ") == 51


def test_a_list_too_long_for_a_modal_says_how_many_are_left_out() -> None:
    view = digest_modal([section(f"C{n}", 25) for n in range(60)]).to_dict()
    assert problems(view) == []
    assert 'more."' in shown(view)


def test_an_empty_full_list_says_there_is_nothing_to_act_on() -> None:
    assert "Nothing to act on right now." in shown(digest_modal([]).to_dict())


def test_a_digest_recorded_before_digests_covered_every_cohort_still_renders() -> None:
    args = {
        "member_id": 3,
        "cohort_name": "PGY-1",
        "nudges": [{"kind": "no_meeting", "partner": "U0L", "count": 30}],
    }
    text = shown(render("coach_digest", args).block_dicts())
    assert "No meeting with <@U0L> reported for 30 days" in text
    assert "*PGY-1*" in text


def test_the_days_form_starts_from_the_current_days_and_reads_only_weekdays() -> None:
    view = days_modal(frozenset({5, 6})).to_dict()
    assert problems(view) == []
    assert [o["value"] for o in view["blocks"][0]["element"]["initial_options"]] == ["5", "6"]
    picked = [{"value": v} for v in ("1", "3", "9", "x", "1")]
    values = {ids.DIGEST_DAYS_BLOCK: {ids.DIGEST_DAYS_INPUT: {"selected_options": picked}}}
    assert chosen_days(values) == {1, 3}
    assert chosen_days({}) == frozenset()
    assert days_in_words(frozenset(range(7))) == "every day"
