"""When surveys are due, reminded and closed: phases, late joiners, undated cohorts, the cohort's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from circles.domain.presence import taking_part
from circles.domain.surveys import (
    SurveyCalendar,
    closes_at,
    due_at,
    due_surveys,
    is_closed,
    next_due,
    phase_day,
    reminder_at,
    reminder_too_early,
    reminder_wanted,
)
from circles.domain.vocabulary import MemberStatus, SurveyPhase

BERLIN = SurveyCalendar(date(2026, 3, 2), date(2026, 5, 1), "Europe/Berlin", time(9, 0))
PLAN = {"baseline": ["belonging"], "midpoint": ["burnout"], "end": ["belonging", "burnout"]}
EARLY = datetime(2026, 2, 1, tzinfo=UTC)


def test_phases_fall_at_start_half_way_and_a_few_days_before_the_end_at_the_local_prompt_time() -> None:
    assert phase_day(BERLIN, SurveyPhase.BASELINE) == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # CET, +1
    assert phase_day(BERLIN, SurveyPhase.MIDPOINT) == datetime(2026, 4, 1, 7, 0, tzinfo=UTC)  # CEST, +2
    assert phase_day(BERLIN, SurveyPhase.END) == datetime(2026, 4, 28, 7, 0, tzinfo=UTC)


def test_a_member_who_joins_late_gets_the_baseline_at_their_join_and_no_phase_already_past() -> None:
    joined = datetime(2026, 4, 10, 15, 30, tzinfo=UTC)  # after the midpoint
    assert due_at(BERLIN, SurveyPhase.BASELINE, joined) == joined
    assert due_at(BERLIN, SurveyPhase.MIDPOINT, joined) is None
    assert due_at(BERLIN, SurveyPhase.END, joined) == datetime(2026, 4, 28, 7, 0, tzinfo=UTC)
    assert due_at(BERLIN, SurveyPhase.BASELINE, EARLY) == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_someone_joining_after_the_end_survey_went_out_gets_no_baseline() -> None:
    assert due_at(BERLIN, SurveyPhase.BASELINE, datetime(2026, 4, 29, tzinfo=UTC)) is None


def test_a_cohort_without_dates_has_a_baseline_at_each_join_only() -> None:
    undated = SurveyCalendar(None, None, "UTC", time(9, 0))
    joined = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert due_at(undated, SurveyPhase.BASELINE, joined) == joined
    assert due_at(undated, SurveyPhase.MIDPOINT, joined) is None
    assert due_at(undated, SurveyPhase.END, joined) is None
    assert next_due(PLAN, undated, joined) is None


def test_due_surveys_lists_each_planned_instrument_due_by_then_and_leaves_out_closed_ones() -> None:
    at_midpoint = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
    due = due_surveys(PLAN, BERLIN, EARLY, at_midpoint)
    assert [(d.phase, d.instrument) for d in due] == [(SurveyPhase.MIDPOINT, "burnout")]  # baseline closed
    assert [d.instrument for d in due_surveys(PLAN, BERLIN, EARLY, datetime(2026, 3, 3, tzinfo=UTC))] == [
        "belonging"
    ]
    assert [d.instrument for d in due_surveys(PLAN, BERLIN, EARLY, datetime(2026, 4, 28, 8, tzinfo=UTC))] == [
        "belonging",
        "burnout",
    ]


def test_next_due_is_the_next_planned_phase() -> None:
    assert next_due(PLAN, BERLIN, datetime(2026, 3, 3, tzinfo=UTC)) == datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
    assert next_due({"baseline": ["belonging"]}, BERLIN, datetime(2026, 3, 3, tzinfo=UTC)) is None


def test_one_reminder_three_days_on_only_while_unanswered_open_and_the_member_active() -> None:
    due = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    at = reminder_at(due)
    assert at == due + timedelta(days=3)
    assert not reminder_wanted(due, None, True, at - timedelta(minutes=1))
    assert reminder_wanted(due, None, True, at)
    assert not reminder_wanted(due, at, True, at)
    assert not reminder_wanted(due, None, False, at)
    assert not reminder_wanted(due, None, True, closes_at(due))
    assert closes_at(due) == due + timedelta(days=14)
    assert is_closed(due, closes_at(due))
    assert not is_closed(due, closes_at(due) - timedelta(seconds=1))


def test_a_very_short_cohort_still_has_its_end_after_its_midpoint() -> None:
    short = SurveyCalendar(date(2026, 3, 2), date(2026, 3, 4), "UTC", time(9, 0))
    middle, end = phase_day(short, SurveyPhase.MIDPOINT), phase_day(short, SurveyPhase.END)
    assert middle is not None
    assert end is not None
    assert middle < end


def test_a_survey_is_open_fourteen_days_from_reaching_its_member_and_a_dated_pause_ends_by_itself() -> None:
    due = datetime(2026, 3, 2, 8, tzinfo=UTC)
    late = due + timedelta(days=10)  # held back while they were away
    assert closes_at(due) == due + timedelta(days=14)
    assert closes_at(due, late) == late + timedelta(days=14)
    assert not is_closed(due, due + timedelta(days=20), late)
    assert taking_part(MemberStatus.ACTIVE, None, due)
    assert not taking_part(MemberStatus.PAUSED, None, due)
    assert not taking_part(MemberStatus.PAUSED, due + timedelta(days=1), due)
    assert taking_part(MemberStatus.PAUSED, due, due)
    assert not taking_part(MemberStatus.LEFT, None, due)


# A pass sends in the moments after its instant: the invitation's recorded time is a little past it, and
# the pass three (or fourteen) days later claims a little past its own instant, by however long it took.
TICK = datetime(2027, 1, 4, 21, 5, tzinfo=UTC)
SENT = TICK + timedelta(seconds=0.3)


def test_the_reminder_is_due_three_days_after_the_invitations_pass_however_long_that_pass_took() -> None:
    assert reminder_too_early(SENT, TICK + timedelta(days=3, seconds=0.1)) is None
    assert reminder_too_early(SENT, TICK + timedelta(days=1, seconds=0.1)) == TICK + timedelta(days=3)


def test_a_survey_closes_fourteen_days_after_the_invitations_pass_however_long_that_pass_took() -> None:
    assert is_closed(TICK, TICK + timedelta(days=14, seconds=0.1), invited_at=SENT)
    assert not is_closed(TICK, TICK + timedelta(days=14) - timedelta(minutes=1), invited_at=SENT)
