"""Time a partner is away never counts against the pair: no days without meeting, no missed check-ins,
no escalation until their return unless someone asked for support; the board says until when."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.views.health import board_message
from circles.domain.health import AnswerRow, Rule, evaluate
from circles.domain.health.away import away_until, present_time_reached, waits_for_return
from circles.domain.health.due import next_change
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.services.health.boards import Board
from tests.unit.test_health_due import LIMITS, PAIR, START, history, seen
from tests.unit.test_health_views import row

DAY = timedelta(days=1)
ROTATION = ((START + 3 * DAY, START + 17 * DAY),)  # the learner is on another site for two weeks


def test_days_away_are_no_days_without_meeting() -> None:
    at_home = evaluate(PAIR, [], START + 25 * DAY, LIMITS)
    assert at_home.signals.days_without_meeting == 25
    assert Rule.NO_MEETING in {reason.rule for reason in at_home.reasons}
    rotating = evaluate(replace(PAIR, second_away=ROTATION), [], START + 25 * DAY, LIMITS)
    assert rotating.signals.days_without_meeting == 11
    assert rotating.state is State.STEADY


def test_a_check_in_whose_answer_window_overlaps_the_absence_is_not_missed() -> None:
    answers: list[AnswerRow] = [
        (20, START + 2 * DAY, None, None, None, False, None),  # its window runs into the rotation
        (20, START + 20 * DAY, None, None, None, False, None),  # after it: missed as ever
    ]
    now = START + 25 * DAY
    assert evaluate(PAIR, answers, now, LIMITS).signals.second.missed_in_a_row == 2
    away = evaluate(replace(PAIR, second_away=ROTATION), answers, now, LIMITS)
    assert away.signals.second.missed_in_a_row == 1
    assert away.state is State.STEADY


def test_the_next_look_for_a_meeting_too_old_comes_later_by_the_time_away() -> None:
    assert next_change(replace(PAIR, first_away=ROTATION), [], START + DAY, LIMITS) == START + 35 * DAY
    # Time both were away counts once, and only from when the pair started: 17 days away in all.
    both = replace(PAIR, first_away=ROTATION, second_away=((START - 9 * DAY, START + 5 * DAY),))
    assert next_change(both, [], START + DAY, LIMITS) == START + 38 * DAY
    assert present_time_reached((), START, 21 * DAY) == START + 21 * DAY


@pytest.mark.parametrize("seed", range(80))
def test_with_an_absence_health_still_holds_until_the_next_change(seed: int) -> None:
    rng = random.Random(seed)
    answers = history(rng, rng.randint(0, 6))
    leaves = START + timedelta(days=rng.randint(0, 60))
    pair = replace(PAIR, second_away=((leaves, leaves + timedelta(days=rng.randint(1, 30))),))
    now = max((r[1] for r in answers), default=START) + timedelta(hours=rng.randint(0, 24 * 13))
    upcoming = next_change(pair, answers, now, LIMITS)
    before = seen(evaluate(pair, [r for r in answers if r[1] <= now], now, LIMITS))
    end = upcoming - timedelta(microseconds=1) if upcoming is not None else now + timedelta(days=400)
    for moment in (now + (end - now) * share for share in (0.3, 0.7, 1)):
        assert seen(evaluate(pair, [r for r in answers if r[1] <= moment], moment, LIMITS)) == before


def test_a_pair_with_a_partner_away_waits_for_their_return_unless_support_was_asked_for() -> None:
    back = START + 17 * DAY
    assert away_until(ROTATION, START + 5 * DAY) == back
    assert away_until(ROTATION, back) is None
    assert waits_for_return(True, False, (None, back)) == back
    assert waits_for_return(True, True, (None, back)) is None
    assert waits_for_return(False, False, (None, back)) is None
    assert waits_for_return(True, False, (None, None)) is None


def test_the_board_says_who_is_away_until_when_and_never_why() -> None:
    away = replace(row(1, State.STEADY), away_until=(None, START + 17 * DAY))
    text = json.dumps(board_message(Board("spring", "Spring", [away])).block_dicts())
    assert f"<@U0L1> is away until <!date^{int((START + 17 * DAY).timestamp())}^" in text
    assert not any(word in text.lower() for word in ("rotation", "leave", "sick"))
