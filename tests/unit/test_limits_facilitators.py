"""What facilitators see — health board, Home, report, settings, alerts' forms — within Slack's limits."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from slack_sdk.models.views import View

from bot.views.cohort_config import config_modal
from bot.views.cohorts import created_message
from bot.views.escalation import escalation_message
from bot.views.escalation_forms import (
    claimed_text,
    ended_text,
    paused_text,
    replaced_preview,
    resolve_modal,
    snoozed_text,
)
from bot.views.health import board_message, board_modal, home_summary
from bot.views.home import home_view
from bot.views.matching import preview_message
from bot.views.report import chart_comment, delivered_text, individual_comment, preparing_text, report_summary
from circles.domain.cohort_rules import CohortSettings
from circles.domain.health import Reason, Rule, Signals, Who
from circles.domain.health.signals import PartnerSignals
from circles.domain.vocabulary import MemberStatus, PartnershipKind, Role
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.messages import EscalationCard
from circles.services.health.boards import Board
from circles.services.health.recompute import PartnershipHealth
from circles.services.people.status import RunCohort
from circles.services.reports.figures import (
    Endings,
    EscalationFigures,
    ParticipationWeek,
    Report,
    ResponseWeek,
    RoleCount,
    StatesWeek,
)
from circles.services.reports.rows import CircleRow
from tests.slack_extremes import COHORTS_PER_FACILITATOR, MEMBERS, cohort_names, slugs, up_to, user_ids
from tests.slack_limits import assert_within_limits
from tests.unit.test_limits_matching import round_plan

FEW = settings(max_examples=10, deadline=None)
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
USERS = user_ids(MEMBERS)
QUIET = Signals(PartnerSignals(), PartnerSignals(), met_ever=True, days_without_meeting=120, checkins_due=30)
BIG = 10**6


def health(number: int, state: State, reasons: list[str], kind: PartnershipKind) -> PartnershipHealth:
    return PartnershipHealth(
        partnership_id=number,
        cohort_id=1,
        workspace_id=1,
        kind=kind,
        first_user_id=USERS[2 * number % MEMBERS],
        second_user_id=USERS[(2 * number + 1) % MEMBERS],
        state=state,
        reasons=tuple(Reason(Rule.LOW_RATING, Who.SECOND, text) for text in reasons),
        signals=QUIET,
        attention_streak=10,
        trend=(),
        computed_at=NOW,
        changed=False,
    )


def board(name: str, pairs: int, reasons: list[str], slug: str = "s" * 40) -> Board:
    states = list(State)
    kinds = list(PartnershipKind)
    rows = [health(n, states[n % 4], reasons, kinds[n % len(kinds)]) for n in range(pairs)]
    return Board(slug, name, rows)


@FEW
@given(name=cohort_names, reasons=st.lists(up_to(300), max_size=10), pairs=st.sampled_from([1, 44, 45, 150]))
def test_the_health_board_of_a_three_hundred_member_cohort_fits(
    name: str, reasons: list[str], pairs: int
) -> None:
    shown = board(name, pairs, reasons)
    assert_within_limits(board_message(shown), typed=[name, *reasons])
    summary = home_summary(shown)
    assert_within_limits({"type": "home", "blocks": [summary.to_dict()]}, typed=[name, *reasons])


@FEW
@given(name=cohort_names, reasons=st.lists(up_to(300), max_size=4), pairs=st.sampled_from([1, 150, 400]))
def test_every_partnership_of_the_board_is_on_a_page_within_limits(
    name: str, reasons: list[str], pairs: int
) -> None:
    shown = board(name, pairs, reasons)
    seen: set[str] = set()
    for page in range(100):
        modal = board_modal(shown, page)
        assert_within_limits(modal, typed=[name, *reasons])
        drawn = json.dumps(modal.to_dict()["blocks"])
        seen |= set(re.findall(r"<@(U\d+)>", drawn))  # a name typed as "<@U123>" shows escaped
        if ":next" not in drawn:
            break
    assert seen == {row.first_user_id for row in shown.rows} | {row.second_user_id for row in shown.rows}


def home_of(cohorts: int, name: str, reasons: list[str], page: int = 0) -> View:
    """A facilitator and admin running `cohorts` cohorts, each with pairs in every state."""
    runs = [
        RunCohort(f"cohort-{n}", name, Counter({(Role.LEARNER, MemberStatus.ACTIVE): BIG}))
        for n in range(cohorts)
    ]
    boards = [board(name, 8, reasons, slug=f"cohort-{n}") for n in range(cohorts)]
    return home_view([], runs, is_admin=True, health=boards, runs_page=page)


@settings(max_examples=5, deadline=None)
@given(
    name=cohort_names,
    reasons=st.lists(up_to(300), max_size=4),
    cohorts=st.integers(1, COHORTS_PER_FACILITATOR),
    page=st.integers(0, 6),
)
@example(name="<" * 255, reasons=["&" * 300] * 4, cohorts=COHORTS_PER_FACILITATOR, page=4)
def test_a_facilitators_home_fits_on_every_page_with_up_to_fifty_cohorts(
    name: str, reasons: list[str], cohorts: int, page: int
) -> None:
    assert_within_limits(home_of(cohorts, name, reasons, page), typed=[name, *reasons])


def report_of(name: str, slug: str) -> Report:
    weeks = [date(2027, 1, 4) + timedelta(weeks=n) for n in range(52)]
    return Report(
        slug=slug,
        cohort_name=name,
        timezone="America/Argentina/ComodRivadavia",
        generated_at=NOW,
        members=tuple(RoleCount(role, BIG, BIG, BIG) for role in Role),
        participation=tuple(ParticipationWeek(w, BIG, BIG, BIG) for w in weeks),
        checkins=tuple(ResponseWeek(w, BIG, BIG - 1) for w in weeks),
        states=tuple(StatesWeek(w, BIG, BIG, BIG, BIG, BIG) for w in weeks),
        escalations=EscalationFigures(BIG, BIG, BIG, BIG, timedelta(days=999), timedelta(days=999), ()),
        endings=Endings(BIG, BIG, BIG, BIG, BIG, BIG, BIG, BIG),
        circles=tuple(
            CircleRow("c" * 80, 52, weeks[0], None, 12, 12, 0, 0, BIG, BIG, BIG, BIG) for _ in range(60)
        ),
    )


@FEW
@given(name=cohort_names, slug=slugs)
def test_the_report_summary_and_its_notes_fit(name: str, slug: str) -> None:
    report = report_of(name, slug)
    assert_within_limits(report_summary(report), typed=[name])
    for note in (
        preparing_text(slug),
        delivered_text(report),
        chart_comment(report),
        individual_comment(report),
    ):
        assert_within_limits({"text": note, "blocks": []}, typed=[name])


@FEW
@given(slug=slugs, name=cohort_names, track=st.from_regex(r"[a-z0-9][a-z0-9_-]{63}", fullmatch=True))
def test_the_settings_form_fits_for_the_longest_slug_name_and_track_list(
    slug: str, name: str, track: str
) -> None:
    cohort = CohortSettings(name=name, timezone="America/Argentina/ComodRivadavia")
    tracks = [f"{n:02d}{track[2:]}" for n in range(100)]
    assert_within_limits(config_modal(slug, cohort, USERS[:50], tracks))
    assert_within_limits(created_message(slug, name), typed=[name])


@FEW
@given(name=cohort_names)
def test_escalation_forms_and_answers_fit(name: str) -> None:
    assert_within_limits(resolve_modal(10**12 - 1))
    for text in (claimed_text(*USERS[:2]), snoozed_text(14), paused_text(*USERS[:2]), ended_text(*USERS[:2])):
        assert_within_limits({"text": text, "blocks": []})
    alert = escalation_message(
        EscalationCard.from_args({"escalation_id": 1, "cohort_name": name, "first": "U1", "second": "U2"})
    )
    assert_within_limits(replaced_preview(alert, "s" * 40, USERS[0], 1), typed=[name])
    rematch = round_plan(30, 5, "x", name=name)
    assert_within_limits(replaced_preview(preview_message(rematch), "s" * 40, USERS[0], 1), typed=[name])
