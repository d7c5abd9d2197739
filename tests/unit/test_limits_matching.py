"""A round's preview and its "See all" modal stay within Slack's limits and show every circle and pair."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.views.errors import friendly_message
from bot.views.match_conflict import CHOOSE_A_MEMBER, ConflictForm, conflict_modal, conflict_recorded_text
from bot.views.match_list import round_modal, round_texts
from bot.views.matching import preview_message, problem_lines, progress_text, resuming_text
from bot.views.pages import page_count
from bot.views.text import mrkdwn
from circles.domain.match_vocabulary import ConstraintKind, RunStatus, StepKind
from circles.errors import PersonNotInCohort
from circles.services.matching.rounds import RoundPlan
from circles.services.rounds.steps import Problem, Progress, RoundReport
from tests.slack_extremes import MEMBERS, cohort_names, slugs, up_to, user_ids
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=10, deadline=None)
USERS = user_ids(MEMBERS)


def round_plan(
    members: int, size: int, why: str, *, name: str = "PGY-1", pairs: bool = True, unplaced: int = 0
) -> RoundPlan:
    """`members` people in circles of `size`, half of them paired, the last `unplaced` left out."""
    placed = list(range(members - unplaced))
    plan: dict[str, Any] = {
        "circles": [{"members": placed[i : i + size], "why": why} for i in range(0, len(placed), size)],
        "pairs": [{"first": i, "second": i + 1, "why": why} for i in range(0, len(placed) - 1, 2)]
        if pairs
        else [],
        "unplaced": [
            {"member": m, "reason": why, "for": "circle"} for m in range(members - unplaced, members)
        ],
        "repeats": 3,
        "repeat_reason": why,
        "conflicts": 0,
        "users": {str(m): USERS[m] for m in range(members)},
    }
    return RoundPlan(10**12 - 1, "s" * 40, name, 99, RunStatus.PREVIEWED, plan)


def every_user_in(texts: list[str]) -> set[str]:
    return set(re.findall(r"<@(U\d+)>", "\n".join(texts)))


@FEW
@given(name=cohort_names, why=up_to(400), size=st.integers(2, 12), unplaced=st.integers(0, 40))
def test_a_three_hundred_member_preview_fits_and_offers_the_whole_round(
    name: str, why: str, size: int, unplaced: int
) -> None:
    proposed = round_plan(MEMBERS, size, why, name=name, unplaced=unplaced)
    message = preview_message(proposed)
    assert_within_limits(message, typed=[name, why])
    blocks: list[dict[str, Any]] = [block.to_dict() for block in message.blocks]
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0] == ids.MATCH_CONFIRM
    assert ids.MATCH_SEE_ALL in buttons


@FEW
@given(why=up_to(400), size=st.integers(2, 12), unplaced=st.integers(0, 60))
def test_every_circle_pair_and_person_left_out_is_on_a_page_within_limits(
    why: str, size: int, unplaced: int
) -> None:
    proposed = round_plan(MEMBERS, size, why, unplaced=unplaced)
    shown: list[str] = []
    for page in range(page_count(round_texts(proposed.plan))):
        modal = round_modal(proposed, page)
        assert_within_limits(modal, typed=[why])
        shown += [b["text"]["text"] for b in modal.to_dict()["blocks"] if b["type"] == "section"]
    assert every_user_in(shown) == set(USERS)
    assert sum(text.count(" + <@") for text in shown) == (MEMBERS - unplaced) // 2


def test_a_round_of_ten_thousand_pages_through_the_modal_within_limits() -> None:
    users = [f"U{n:010d}" for n in range(10_000)]
    proposed = round_plan(300, 5, "mixes 3 departments")
    plan = proposed.plan | {
        "circles": [{"members": list(range(i, i + 5)), "why": "x"} for i in range(0, 10_000, 5)],
        "pairs": [],
        "unplaced": [],
        "users": {str(m): users[m] for m in range(10_000)},
    }
    big = RoundPlan(1, "big", "Big", 1, RunStatus.PREVIEWED, plan)
    count = page_count(round_texts(plan))
    assert count > 1
    assert_within_limits(round_modal(big, count - 1))
    assert_within_limits(preview_message(big))


def test_a_small_round_shows_everything_and_offers_no_see_all() -> None:
    message = preview_message(round_plan(12, 4, "fit 2"))
    assert_within_limits(message)
    assert ids.MATCH_SEE_ALL not in str(message.block_dicts())
    assert "more circles" not in str(message.block_dicts())


@FEW
@given(name=cohort_names, words=up_to(300))
def test_a_rematch_preview_fits(name: str, words: str) -> None:
    proposed = round_plan(30, 5, words, name=name)
    plan = proposed.plan | {
        "rematch": {"user": USERS[0]},
        "joins": [{"name": "c" * 80, "why": words}],
        "notes": [{"text": words, "with": 1}, {"text": words, "with": None}],
    }
    rematch = RoundPlan(1, "s" * 40, name, 3, RunStatus.PREVIEWED, plan)
    assert_within_limits(preview_message(rematch), typed=[name, words])
    assert_within_limits(preview_message(rematch, with_confirm=False), typed=[name, words])
    assert_within_limits(round_modal(rematch), typed=[name, words])


@FEW
@given(name=cohort_names, reason=up_to(500), problems=st.lists(up_to(300), max_size=60))
def test_progress_and_resuming_notes_fit_a_message(name: str, reason: str, problems: list[str]) -> None:
    proposed = round_plan(10, 5, "x", name=name)
    said = [mrkdwn(problem) for problem in problems]  # the app's own words, escaped as it writes them
    progress = Progress(done=10**6, failed=10**6, total=2 * 10**6)
    failures = [Problem(kind, "c" * 80, tuple(USERS[:2]), reason) for kind in StepKind for _ in range(20)]
    text = progress_text(proposed, progress, said)
    named = progress_text(proposed, progress, problem_lines(failures))
    for note in (text, named, resuming_text(RoundReport(proposed, progress, failures))):
        assert_within_limits({"text": note, "blocks": []}, typed=[name, reason, *problems])


@FEW
@given(slug=slugs)
def test_the_conflict_form_and_its_answer_fit_for_the_longest_slug(slug: str) -> None:
    assert_within_limits(conflict_modal(slug))
    chosen = ConflictForm(USERS[0], USERS[1], ConstraintKind.ASSESSES)
    stranger = f"{friendly_message(PersonNotInCohort(slug, USERS[1]))} {CHOOSE_A_MEMBER}"
    assert_within_limits(conflict_modal(slug, chosen, {ids.MATCH_CONFLICT_OTHER: stranger}))  # came back
    recorded = conflict_recorded_text(slug, chosen)
    assert_within_limits({"text": recorded, "blocks": []})
