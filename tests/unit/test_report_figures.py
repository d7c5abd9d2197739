"""The report's counting rules on small hand-made rows: weeks, joins, answers, states, escalations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from circles.domain.vocabulary import (
    EndReason,
    MemberStatus,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
)
from circles.queries.reports.facts import (
    CheckInFact,
    EscalationFact,
    HealthFact,
    MemberFact,
    PartnershipFact,
)
from circles.services.reports.outcomes import endings, escalation_figures, median, states_by_week
from circles.services.reports.people import members_by_role, participation, responses
from circles.services.reports.weeks import calendar

MONDAY = datetime(2027, 3, 1, tzinfo=UTC)
NOW = MONDAY + timedelta(weeks=2, days=2)  # Wednesday of the third week
WEEKS = calendar(MONDAY, NOW, "UTC")
State = PartnershipHealthState


def at(days: float, hours: float = 0) -> datetime:
    return MONDAY + timedelta(days=days, hours=hours)


def pair(
    number: int, started: float, ended: float | None = None, reason: EndReason | None = None
) -> PartnershipFact:
    status = PartnershipStatus.ENDED if ended is not None else PartnershipStatus.ACTIVE
    return PartnershipFact(
        number,
        PartnershipKind.PEER,
        status,
        reason,
        at(started),
        at(ended) if ended is not None else None,
        number * 10,
        number * 10 + 1,
    )


def test_weeks_run_monday_to_monday_in_the_cohorts_time_zone_across_a_clock_change() -> None:
    weeks = calendar(
        datetime(2027, 3, 10, tzinfo=UTC), datetime(2027, 3, 16, 3, tzinfo=UTC), "America/New_York"
    )
    assert [week.start for week in weeks.weeks] == [date(2027, 3, 8), date(2027, 3, 15)]
    assert weeks.weeks[0].begins == datetime(2027, 3, 8, 5, tzinfo=UTC)  # midnight EST
    assert weeks.weeks[1].begins == datetime(2027, 3, 15, 4, tzinfo=UTC)  # midnight EDT, after the change
    assert weeks.index(datetime(2027, 3, 15, 3, 59, tzinfo=UTC)) == 0  # still Sunday evening in New York
    assert weeks.index(datetime(2027, 3, 15, 4, tzinfo=UTC)) == 1


def test_an_unknown_time_zone_counts_weeks_in_utc() -> None:
    weeks = calendar(MONDAY, NOW, "Mars/Olympus")
    assert weeks.weeks[0].begins == MONDAY


def test_anything_before_the_first_week_counts_in_it_and_nothing_after_the_last() -> None:
    assert WEEKS.index(MONDAY - timedelta(days=30)) == 0
    assert WEEKS.index(at(21)) is None
    assert len(WEEKS.weeks) == 3


def test_joins_and_leaves_are_counted_in_their_weeks_with_the_members_left_at_each_end() -> None:
    members = [
        MemberFact(Role.COACH, MemberStatus.ACTIVE, at(0), None),
        MemberFact(Role.LEARNER, MemberStatus.LEFT, at(1), at(8)),
        MemberFact(Role.LEARNER, MemberStatus.PAUSED, at(7), None),  # the very start of week 2
        MemberFact(Role.LEARNER, MemberStatus.ACTIVE, at(30), None),  # in the future: not yet
    ]
    weeks = participation(WEEKS, members, NOW)
    assert [(w.joined, w.left, w.members) for w in weeks] == [(2, 0, 2), (1, 1, 2), (0, 0, 2)]


def test_members_are_counted_by_role_and_status_leaving_out_roles_nobody_has() -> None:
    members = [
        MemberFact(Role.COACH, MemberStatus.ACTIVE, at(0), None),
        MemberFact(Role.LEARNER, MemberStatus.LEFT, at(0), at(3)),
        MemberFact(Role.LEARNER, MemberStatus.PAUSED, at(0), None),
        MemberFact(Role.LEARNER, MemberStatus.ACTIVE, at(0), None),
    ]
    counts = {c.role: (c.active, c.paused, c.left, c.total) for c in members_by_role(members)}
    assert counts == {Role.COACH: (1, 0, 0, 1), Role.LEARNER: (1, 1, 1, 3)}


def test_response_rate_counts_check_ins_by_the_week_they_fell_due_and_answers_given_by_now() -> None:
    checkins = [
        CheckInFact(1, 1, at(1), at(1, 5), 4),
        CheckInFact(1, 2, at(1), None, None),
        CheckInFact(1, 1, at(8), at(9), 3),  # answered a day late: still counts for week 2
        CheckInFact(1, 2, at(8), NOW + timedelta(hours=1), 3),  # answered after the report: not yet
        CheckInFact(1, 1, at(15), None, None),
        CheckInFact(1, 2, at(17), None, None),  # due after now: not counted at all
    ]
    weeks = responses(WEEKS, checkins, NOW)
    assert [(w.due, w.answered, w.rate) for w in weeks] == [(2, 1, 0.5), (2, 1, 0.5), (1, 0, 0.0)]


def test_a_week_without_check_ins_has_no_rate_rather_than_zero() -> None:
    assert responses(WEEKS, [], NOW)[0].rate is None


def test_each_partnership_counts_in_the_state_it_was_in_when_the_week_ended() -> None:
    pairs = [
        pair(1, started=0),
        pair(2, started=2, ended=9, reason=EndReason.NO_FAULT),  # gone by the end of week 2
        pair(3, started=7),  # starts exactly as week 2 begins: not running at the end of week 1
        pair(4, started=15),  # no health recorded yet
    ]
    health = [
        HealthFact(1, at(1), State.STEADY, ()),
        HealthFact(1, at(7), State.STRUGGLING, ()),  # the instant week 1 ends: counts from week 2
        HealthFact(1, at(15), State.THRIVING, ()),
        HealthFact(2, at(3), State.NEEDS_ATTENTION, ()),
        HealthFact(3, at(8), State.STEADY, ()),
        HealthFact(3, NOW + timedelta(hours=1), State.STRUGGLING, ()),  # after the report: ignored
    ]
    weeks = states_by_week(WEEKS, pairs, health, NOW)
    shown = [(w.thriving, w.steady, w.needs_attention, w.struggling, w.not_assessed) for w in weeks]
    assert shown == [(0, 1, 1, 0, 0), (0, 1, 0, 1, 0), (1, 1, 0, 0, 1)]
    assert [w.total for w in weeks] == [2, 2, 3]


def test_escalations_give_counts_by_week_and_the_median_and_mean_time_to_the_first_response() -> None:
    escalations = [
        EscalationFact(at(1), at(1, 2), at(3)),
        EscalationFact(at(8), at(9, 6), None),  # 30 hours
        EscalationFact(at(15), at(15, 1), None),
        EscalationFact(at(15, 5), None, None),  # nobody has taken it up: no response time yet
        EscalationFact(at(16), NOW + timedelta(hours=2), None),  # claimed after the report: not yet
    ]
    figures = escalation_figures(WEEKS, escalations, NOW)
    assert (figures.opened, figures.claimed, figures.resolved, figures.still_open) == (5, 3, 1, 4)
    assert figures.median_first_response == timedelta(hours=2)
    assert figures.mean_first_response == timedelta(hours=11)
    assert [(w.opened, w.claimed, w.resolved) for w in figures.weeks] == [(1, 1, 1), (1, 1, 0), (3, 1, 0)]


def test_without_any_claimed_escalation_there_is_no_response_time() -> None:
    figures = escalation_figures(WEEKS, [EscalationFact(at(1), None, None)], NOW)
    assert figures.median_first_response is None
    assert figures.mean_first_response is None


def test_the_median_of_an_even_number_of_durations_is_the_mean_of_the_middle_two() -> None:
    assert median(
        [timedelta(hours=1), timedelta(hours=2), timedelta(hours=5), timedelta(hours=9)]
    ) == timedelta(hours=3.5)
    assert median([]) is None


def test_every_partnership_counts_once_as_running_completed_or_ended_early() -> None:
    pairs = [
        pair(1, 0),
        pair(2, 0, 5, EndReason.COMPLETED),
        pair(3, 0, 5, EndReason.NO_FAULT),
        pair(4, 0, 5, EndReason.MEMBER_LEFT),
        pair(5, 0, 5, EndReason.REMATCHED),
        pair(6, 0, 5, EndReason.FACILITATOR),
        pair(7, 0, 5, None),
        pair(8, 0)._replace(status=PartnershipStatus.PAUSED),
    ]
    counted = endings(pairs)
    assert (counted.active, counted.paused, counted.completed) == (1, 1, 1)
    assert (counted.no_fault, counted.member_left, counted.rematched, counted.facilitator) == (1, 1, 1, 1)
    assert counted.unrecorded == 1
    assert (counted.ended_early, counted.total) == (5, 8)
