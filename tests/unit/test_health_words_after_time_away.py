"""The board words a pair's last meeting (or its pairing) from the calendar: time away or paused, left out
of the days without meeting, is named beside them, never made to look like a meeting today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import AnswerRow, Pair, Rule, evaluate
from circles.domain.vocabulary import PartnershipKind

COACH_LEARNER = PartnershipKind.COACH_LEARNER
WEEKLY = timedelta(weeks=1)
ROTATION = ((datetime(2026, 3, 17, tzinfo=UTC), datetime(2026, 4, 7, tzinfo=UTC)),)  # the learner's


def d(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def met_on_16_march(rating: int = 5) -> list[AnswerRow]:
    return [(m, d(3, 16, 9), d(3, 16, 12), rating, True, False, None) for m in (1, 2)]


def meeting_words(pair: Pair, answers: list[AnswerRow], now: datetime) -> str:
    health = evaluate(pair, answers, now, HealthThresholds())
    [said] = [reason.text for reason in health.reasons if reason.rule in (Rule.MEETING, Rule.NO_MEETING)]
    return said


def test_during_a_rotation_the_board_says_the_last_meeting_was_weeks_ago_not_today() -> None:
    pair = Pair(1, COACH_LEARNER, 1, 2, d(3, 2), (), ROTATION, checkin_every=WEEKLY)
    said = meeting_words(pair, met_on_16_march(), d(4, 6))
    assert said == "they reported a meeting 20 days ago (none of it counted: away or paused)"


def test_a_pair_that_never_met_was_paired_on_its_real_date_with_the_days_counted_beside_it() -> None:
    pair = Pair(1, COACH_LEARNER, 1, 2, d(2, 17), (), ROTATION, checkin_every=WEEKLY)
    said = meeting_words(pair, [], d(4, 6))
    assert said == (
        "no meeting reported since they were paired 48 days ago"
        " (28 days of it counted: the rest away or paused)"
    )


def test_a_long_silence_around_an_absence_gives_the_calendar_days_and_those_counted() -> None:
    pair = Pair(1, COACH_LEARNER, 1, 2, d(3, 2), (), ROTATION, checkin_every=WEEKLY)
    said = meeting_words(pair, met_on_16_march(), d(4, 28))
    assert said == "no meeting reported for 42 days (21 days of it counted: the rest away or paused)"


def test_weeks_with_no_check_in_asked_are_named_as_such() -> None:
    """The app was down from late March: the next check-in was asked on 20 April."""
    pair = Pair(1, COACH_LEARNER, 1, 2, d(3, 2), checkin_every=WEEKLY)
    asked_again: list[AnswerRow] = [(m, d(4, 20, 9), None, None, None, False, None) for m in (1, 2)]
    said = meeting_words(pair, met_on_16_march() + asked_again, d(4, 21))
    assert said == (
        "they reported a meeting 35 days ago (7 days of it counted: the rest with no check-in asked)"
    )


def test_without_time_away_the_words_are_the_days_as_ever() -> None:
    pair = Pair(1, COACH_LEARNER, 1, 2, d(3, 2), checkin_every=WEEKLY)
    assert meeting_words(pair, met_on_16_march(), d(3, 16, 13)) == "they reported a meeting today"
    assert meeting_words(pair, met_on_16_march(), d(3, 20)) == "they reported a meeting 3 days ago"
    assert meeting_words(pair, met_on_16_march(), d(4, 8)) == "no meeting reported for 22 days"
    never = meeting_words(pair, [], d(3, 30))
    assert never == "no meeting reported since they were paired 28 days ago"
