"""The next prompt and check-in by the planner's own rules: how far they look, and the words for a hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.views.relationships_lines import next_lines
from circles.domain.blackouts import Blackout
from circles.domain.planning import PairIn, Person
from circles.domain.planning.ahead import LOOK_AHEAD, Hold, Next, next_checkin, next_prompt
from circles.domain.schedule import NEVER, Cadence
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.services.partnerships.running import PartnerStatus
from circles.services.people.status import CohortStatus

UTC_MONDAYS = Cadence(0, time(9), "UTC", 1, date(2027, 1, 4), None, anchor=date(2027, 1, 4))
NOW = datetime(2027, 1, 6, tzinfo=UTC)  # a Wednesday
MONDAY = datetime(2027, 1, 11, 9, tzinfo=UTC)
ME = Person(1, "U0ME", MemberStatus.ACTIVE, None, "UTC")


def pair_with(partner: Person) -> PairIn:
    return PairIn(1, True, None, NOW - timedelta(days=30), partner, ME)


def test_a_member_away_for_good_has_no_next_prompt_after_a_bounded_look() -> None:
    gone = Person(1, "U0ME", MemberStatus.ACTIVE, None, "UTC", ((NOW, NEVER),))
    assert next_prompt(UTC_MONDAYS, (), gone, NOW, seated=True) == Next(None, Hold.AWAY)


def test_blackout_dates_longer_than_the_look_ahead_read_as_nothing_to_come() -> None:
    years = (Blackout(date(2027, 1, 1), date(2030, 1, 1)),)
    assert next_prompt(UTC_MONDAYS, years, ME, NOW, seated=True) == Next(None, Hold.BLACKOUT)
    after = (Blackout(date(2027, 1, 1), date(2027, 1, 1) + timedelta(weeks=LOOK_AHEAD - 2)),)
    assert next_prompt(UTC_MONDAYS, after, ME, NOW, seated=True).at is not None  # far, but within the look


def test_a_dated_pause_ends_by_itself_and_an_open_one_does_not() -> None:
    dated = Person(1, "U0ME", MemberStatus.PAUSED, MONDAY + timedelta(days=1), "UTC")
    assert next_prompt(UTC_MONDAYS, (), dated, NOW, seated=True) == Next(
        MONDAY + timedelta(weeks=1), Hold.PAUSED
    )
    open_ended = Person(1, "U0ME", MemberStatus.PAUSED, None, "UTC")
    assert next_prompt(UTC_MONDAYS, (), open_ended, NOW, seated=True) == Next(None, Hold.PAUSED)


def test_someone_in_no_circle_has_no_next_prompt_whatever_the_rhythm_and_is_told_why() -> None:
    assert next_prompt(UTC_MONDAYS, (), ME, NOW, seated=False) == Next(None, Hold.NO_CIRCLE)
    unseated = replace(status(0, None, None), next_prompt=None, prompt_held=Hold.NO_CIRCLE)
    assert next_lines(unseated) == ["Prompts start once your facilitators place you in a circle."]


def test_a_check_in_needs_one_partner_there_and_says_only_that_a_partner_is_not() -> None:
    away = Person(2, "U0COACH", MemberStatus.ACTIVE, None, "UTC", ((NOW, MONDAY + timedelta(days=1)),))
    there = Person(3, "U0OTHER", MemberStatus.ACTIVE, None, "UTC")
    assert next_checkin(UTC_MONDAYS, (), ME, [pair_with(away)], NOW) == Next(
        MONDAY + timedelta(weeks=1), Hold.PARTNER
    )
    assert next_checkin(UTC_MONDAYS, (), ME, [pair_with(away), pair_with(there)], NOW) == Next(MONDAY)


def status(partners: int, held: Hold | None, at: datetime | None) -> CohortStatus:
    return CohortStatus(
        "alpha",
        "Alpha",
        Role.LEARNER,
        MemberStatus.ACTIVE,
        None,
        partners=tuple(
            PartnerStatus(n, f"U0P{n}", PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, NOW)
            for n in range(partners)
        ),
        next_prompt=MONDAY,
        next_checkin=at,
        checkin_held=held,
    )


def test_the_lines_say_why_a_check_in_waits_without_a_partner_s_reason() -> None:
    [_, one] = next_lines(status(1, Hold.PARTNER, MONDAY))
    assert one.endswith(", once your partner is back")
    [_, several] = next_lines(status(2, Hold.PARTNER, None))
    assert several == "Next check-in: once a partner is back."
    [_, own] = next_lines(status(1, Hold.PAUSED, MONDAY))  # the "Paused until" line says it already
    assert "," not in own
    assert next_lines(status(1, Hold.PAUSED, None)) == [next_lines(status(1, None, None))[0]]
