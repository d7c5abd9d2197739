"""The health board as a facilitator sees it: states, pairs and reasons, within Slack's limits."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime

from bot.views.cohort_config import THRESHOLD_WORDS
from bot.views.health import board_message, home_summary
from bot.views.home import home_view
from circles.domain.cohort_rules import THRESHOLD_LIMITS
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import Reason, Rule, Signals, Who
from circles.domain.health.signals import PartnerSignals
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipKind
from circles.services.health.boards import Board
from circles.services.health.recompute import PartnershipHealth
from circles.services.people.status import RunCohort

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
QUIET = Signals(PartnerSignals(), PartnerSignals(), met_ever=True, days_without_meeting=3, checkins_due=2)


def row(
    number: int,
    state: State,
    *reasons: str,
    kind: PartnershipKind = PartnershipKind.COACH_LEARNER,
    streak: int = 0,
) -> PartnershipHealth:
    return PartnershipHealth(
        partnership_id=number,
        cohort_id=1,
        workspace_id=1,
        kind=kind,
        first_user_id=f"U0G{number}",
        second_user_id=f"U0L{number}",
        state=state,
        reasons=tuple(Reason(Rule.LOW_RATING, Who.SECOND, text) for text in reasons),
        signals=QUIET,
        attention_streak=streak,
        trend=(),
        computed_at=NOW,
        changed=False,
    )


def rendered(blocks: object) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_each_pair_shows_its_state_the_pair_and_every_reason() -> None:
    board = Board(
        "spring",
        "Spring residents",
        [
            row(
                1,
                State.STRUGGLING,
                "both partners missed the last two check-ins",
                "no meeting reported for 24 days",
            ),
            row(2, State.THRIVING, kind=PartnershipKind.PEER),
        ],
    )
    blocks = board_message(board).block_dicts()
    text = rendered(blocks)
    assert ":red_circle: *Struggling* — <@U0G1> (coach) with <@U0L1> (learner)" in text
    assert "• Both partners missed the last two check-ins\\n• No meeting reported for 24 days" in text
    assert ":large_green_circle: *Thriving* — <@U0G2> and <@U0L2>" in text
    assert (
        ":red_circle: 1 struggling · :large_green_circle: 1 thriving — 2 partnerships, riskiest first."
        in text
    )


def test_a_long_board_stays_within_fifty_blocks_and_counts_what_it_leaves_out() -> None:
    rows = [row(n, State.NEEDS_ATTENTION, "the learner missed the last two check-ins") for n in range(10)]
    rows += [row(n, State.STEADY) for n in range(10, 150)] + [row(n, State.THRIVING) for n in range(150, 200)]
    message = board_message(Board("spring", "Spring residents", rows))
    blocks = message.block_dicts()
    assert len(blocks) == 50
    text = rendered(blocks)
    assert "<@U0G0>" in text  # the riskiest are shown
    assert "…and 155 more: 105 steady, 50 thriving." in text
    assert "10 need attention, 140 steady, 50 thriving" in message.text


def test_a_long_streak_of_needing_attention_is_pointed_out() -> None:
    board = Board(
        "spring", "Spring", [row(1, State.NEEDS_ATTENTION, "the coach missed the last check-in", streak=3)]
    )
    assert "Needing attention at the last 3 check-ins in a row." in rendered(
        board_message(board).block_dicts()
    )


def test_reason_words_are_escaped_for_slack() -> None:
    board = Board("spring", "Spring <b>", [row(1, State.NEEDS_ATTENTION, "a <@U0X> & <!channel>")])
    text = rendered(board_message(board).block_dicts())
    assert "&lt;@U0X&gt; &amp; &lt;!channel&gt;" in text
    assert "<!channel>" not in text


def test_a_cohort_without_partnerships_says_so() -> None:
    message = board_message(Board("spring", "Spring residents", []))
    assert "has no active partnerships yet" in rendered(message.block_dicts())


def test_the_home_tab_shows_a_facilitator_counts_and_the_riskiest_pairs_of_their_cohorts() -> None:
    rows = [
        row(1, State.STRUGGLING, "both partners rated it low at their latest check-ins (2 and 1 of 5)"),
        row(2, State.NEEDS_ATTENTION, "no meeting reported for 24 days"),
        row(3, State.STEADY),
    ]
    runs = [RunCohort("spring", "Spring residents"), RunCohort("autumn", "Autumn residents")]
    view = home_view([], runs, is_admin=False, health=[Board("spring", "Spring residents", rows)])
    text = rendered(view.to_dict())
    assert (
        ":red_circle: 1 struggling · :large_orange_circle: 1 need attention · :large_blue_circle: 1 steady"
        in text
    )
    assert "<@U0G1> (coach) with <@U0L1> (learner): Both partners rated it low" in text
    assert "`/circles health spring`" in text
    assert "/circles health autumn" not in text  # no board was given for it


def test_the_home_summary_leaves_steady_pairs_out_of_the_riskiest() -> None:
    summary = home_summary(Board("spring", "Spring", [row(1, State.STEADY), row(2, State.THRIVING)]))
    assert "<@U0G1>" not in rendered(summary.to_dict())


def test_every_health_threshold_has_limits_and_words_on_the_settings_form() -> None:
    names = {item.name for item in fields(HealthThresholds)}
    assert set(THRESHOLD_LIMITS) == names
    assert set(THRESHOLD_WORDS) == names
    defaults = HealthThresholds()
    for name, (low, high) in THRESHOLD_LIMITS.items():
        assert low <= getattr(defaults, name) <= high
