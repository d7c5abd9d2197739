"""The plain words of each state and each reason, as facilitators read them. Never a note's text."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipKind


@dataclass(frozen=True)
class StateWords:
    """How a health state is said: the board, the alerts, the report and its charts all say it so."""

    title: str  # on its own: a row of the board, a chart's legend
    word: str  # within a sentence: "health is *needs attention*"
    counted: str  # after a number: "2 need attention"


STATE_WORDS = {
    State.STRUGGLING: StateWords("Struggling", "struggling", "struggling"),
    State.NEEDS_ATTENTION: StateWords("Needs attention", "needs attention", "need attention"),
    State.STEADY: StateWords("Steady", "steady", "steady"),
    State.THRIVING: StateWords("Thriving", "thriving", "thriving"),
}
# A running pair with no state stored yet, in the report.
NOT_ASSESSED_WORDS = StateWords("Not assessed yet", "not assessed yet", "not assessed yet")

LABELS = {
    PartnershipKind.COACH_LEARNER: ("the coach", "the learner"),
    PartnershipKind.MENTOR_LEARNER: ("the mentor", "the learner"),
    PartnershipKind.PEER: ("one partner", "one partner"),
}
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count(n: int) -> str:
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def checkins(n: int) -> str:
    return "the last check-in" if n == 1 else f"the last {count(n)} check-ins"


def low_rating(label: str, rating: int) -> str:
    return f"{label} rated it {rating} of 5 at the latest check-in"


def both_low(first: int, second: int) -> str:
    return f"both partners rated it low at their latest check-ins ({first} and {second} of 5)"


def disagreement(kind: PartnershipKind, first: int, second: int) -> str:
    if kind is PartnershipKind.PEER:
        high, low = max(first, second), min(first, second)
        return f"the partners see it differently: one rated it {high} of 5, the other {low}"
    one, other = LABELS[kind]
    return f"the partners see it differently: {one} rated it {first} of 5, {other} {second}"


def rating_drop(label: str, before: int, now: int) -> str:
    return f"{label}'s rating fell from {before} to {now} since the check-in before"


def both_dropped(first: tuple[int, int], second: tuple[int, int]) -> str:
    return (
        f"both partners' ratings fell since the check-in before "
        f"({first[0]} to {first[1]} and {second[0]} to {second[1]})"
    )


def missed(label: str, n: int) -> str:
    return f"{label} missed {checkins(n)}"


def both_missed(n: int) -> str:
    return f"both partners missed {checkins(n)}"


def no_meeting(days: int, met_ever: bool, elapsed: int, why: str) -> str:
    """Said from the calendar (`elapsed` days), with how many of them counted when time was left out."""
    if met_ever:
        return f"no meeting reported for {elapsed} days{counted(days, elapsed, why)}"
    return f"no meeting reported since they were paired {elapsed} days ago{counted(days, elapsed, why)}"


def early_fit(label: str, rating: int) -> str:
    return f"after their first meeting, {label} rated it only {rating} of 5"


def both_early_fit(first: int, second: int) -> str:
    return f"after their first meeting, both partners rated it only {first} and {second} of 5"


def support(label: str) -> str:
    return f"{label} asked for support at the latest check-in"


def both_support() -> str:
    return "both partners asked for support at their latest check-ins"


def rated_highly(first: int, second: int) -> str:
    return f"both partners rate it well ({first} and {second} of 5)"


def meeting(days: int, elapsed: int, why: str) -> str:
    when = {0: "today", 1: "yesterday"}.get(elapsed, f"{elapsed} days ago")
    return f"they reported a meeting {when}{counted(days, elapsed, why)}"


def left_out(away: bool, unasked: bool) -> str:
    """What time left out of the days without meeting was."""
    if away and unasked:
        return "away, paused or with no check-in asked"
    return "away or paused" if away else "with no check-in asked"


def counted(days: int, elapsed: int, why: str) -> str:
    """How many of the `elapsed` days counted, when some were left out; nothing when all did."""
    if days >= elapsed:
        return ""
    if days == 0:
        return f" (none of it counted: {why})"
    return f" ({days} day{'' if days == 1 else 's'} of it counted: the rest {why})"


def answering() -> str:
    return "both answer their check-ins"
