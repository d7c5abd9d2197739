"""Turn a partnership's signals into its state and the reasons behind it (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import words
from circles.domain.health.signals import Pair, Signals
from circles.domain.vocabulary import PartnershipHealthState as State


class Rule(StrEnum):
    """What fired: the first seven are concerns, the last three the marks of a thriving pair."""

    LOW_RATING = "low_rating"
    DISAGREEMENT = "disagreement"
    RATING_DROP = "rating_drop"
    MISSED_CHECKINS = "missed_checkins"
    NO_MEETING = "no_meeting"
    EARLY_FIT = "early_fit"
    SUPPORT_REQUESTED = "support_requested"
    RATED_HIGHLY = "rated_highly"
    MEETING = "meeting"
    ANSWERING = "answering"


class Who(StrEnum):
    FIRST = "first"  # the coach or mentor in coach and mentor pairs
    SECOND = "second"
    BOTH = "both"
    PAIR = "pair"  # about the partnership rather than either person


@dataclass(frozen=True)
class Reason:
    rule: Rule
    who: Who
    text: str

    @property
    def key(self) -> str:
        """What identifies the reason from day to day: the numbers in its words may change, this does not."""
        return f"{self.rule.value}:{self.who.value}"

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule.value, "who": self.who.value, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        return cls(Rule(data["rule"]), Who(data["who"]), str(data["text"]))


class Concerns(NamedTuple):
    """Which concerns hold, each partner's separately: (first, second) pairs, then the pair's own."""

    low: tuple[bool, bool]
    dropped: tuple[bool, bool]
    missed: tuple[bool, bool]
    early_fit: tuple[bool, bool]
    support: tuple[bool, bool]
    disagreement: bool
    no_meeting: bool

    def any(self) -> bool:
        return any(self.low + self.dropped + self.missed + self.early_fit + self.support) or (
            self.disagreement or self.no_meeting
        )

    def state(self) -> State | None:
        """Struggling or needs attention from the combination, or None when no concern holds."""
        low, missed, support = self.low, self.missed, self.support
        distress = any(low) or any(support)
        quiet = any(missed) or self.no_meeting
        if (
            all(low)
            or (any(low) and any(support))
            or (distress and quiet)
            or (all(missed) and self.no_meeting)
        ):
            return State.STRUGGLING
        return State.NEEDS_ATTENTION if self.any() else None


def concerns(signals: Signals, limits: HealthThresholds) -> Concerns:
    """Which of the rules hold for these signals under the cohort's thresholds."""
    first, second = signals.first, signals.second
    a, b = first.latest_rating, second.latest_rating
    # A lukewarm first impression; a rating low enough to count as low is a reason of its own.
    early_low, early_high = limits.low_rating, limits.early_fit_rating
    e1, e2 = first.first_meeting_rating, second.first_meeting_rating
    return Concerns(
        low=(a is not None and a <= limits.low_rating, b is not None and b <= limits.low_rating),
        dropped=(first.drop >= limits.rating_drop, second.drop >= limits.rating_drop),
        missed=(
            first.missed_in_a_row >= limits.missed_checkins,
            second.missed_in_a_row >= limits.missed_checkins,
        ),
        early_fit=(
            e1 is not None and early_low < e1 <= early_high,
            e2 is not None and early_low < e2 <= early_high,
        ),
        support=(first.asked_support, second.asked_support),
        disagreement=a is not None and b is not None and abs(a - b) >= limits.disagreement_gap,
        # Not while they await a check-in: with none answered since, they could not say they met.
        no_meeting=signals.days_without_meeting >= limits.days_without_meeting
        and not signals.awaiting_checkin,
    )


def assess(pair: Pair, signals: Signals, limits: HealthThresholds) -> tuple[State, tuple[Reason, ...]]:
    """The state and every rule that fired, concerns in a fixed order."""
    found = concerns(signals, limits)
    state = found.state()
    if state is None:
        return _thriving_or_steady(signals, limits)
    return state, tuple(_reasons(pair, signals, found))


def _reasons(pair: Pair, signals: Signals, found: Concerns) -> list[Reason]:
    first, second = signals.first, signals.second
    label = words.LABELS[pair.kind]
    ratings = (first.latest_rating or 0, second.latest_rating or 0)
    reasons: list[Reason] = []
    if any(found.low):
        both = words.both_low(*ratings)
        reasons += _fired(Rule.LOW_RATING, found.low, both, lambda i: words.low_rating(label[i], ratings[i]))
    if found.disagreement:
        reasons.append(Reason(Rule.DISAGREEMENT, Who.PAIR, words.disagreement(pair.kind, *ratings)))
    if any(found.dropped):
        falls = [(p.previous_rating or 0, p.latest_rating or 0) for p in signals.partners]
        both = words.both_dropped(*falls)
        reasons += _fired(
            Rule.RATING_DROP, found.dropped, both, lambda i: words.rating_drop(label[i], *falls[i])
        )
    if any(found.missed):
        counts = (first.missed_in_a_row, second.missed_in_a_row)
        both = words.both_missed(min(counts))
        reasons += _fired(
            Rule.MISSED_CHECKINS, found.missed, both, lambda i: words.missed(label[i], counts[i])
        )
    if found.no_meeting:
        text = words.no_meeting(signals.days_without_meeting, signals.met_ever, *_calendar(signals))
        reasons.append(Reason(Rule.NO_MEETING, Who.PAIR, text))
    if any(found.early_fit):
        early = (first.first_meeting_rating or 0, second.first_meeting_rating or 0)
        both = words.both_early_fit(*early)
        reasons += _fired(
            Rule.EARLY_FIT, found.early_fit, both, lambda i: words.early_fit(label[i], early[i])
        )
    if any(found.support):
        reasons += _fired(
            Rule.SUPPORT_REQUESTED, found.support, words.both_support(), lambda i: words.support(label[i])
        )
    return reasons


def _thriving_or_steady(signals: Signals, limits: HealthThresholds) -> tuple[State, tuple[Reason, ...]]:
    first, second = signals.first, signals.second
    a, b = first.latest_rating, second.latest_rating
    rated_highly = a is not None and b is not None and a >= limits.high_rating and b >= limits.high_rating
    answering = first.missed_in_a_row == 0 and second.missed_in_a_row == 0
    if rated_highly and signals.met_ever and answering:
        return State.THRIVING, (
            Reason(Rule.RATED_HIGHLY, Who.BOTH, words.rated_highly(a or 0, b or 0)),
            Reason(Rule.MEETING, Who.PAIR, words.meeting(signals.days_without_meeting, *_calendar(signals))),
            Reason(Rule.ANSWERING, Who.BOTH, words.answering()),
        )
    return State.STEADY, ()


def _calendar(signals: Signals) -> tuple[int, str]:
    """The days since the last meeting (or the pairing) as the calendar has them, and what of them was
    left out of the days without meeting: the words name both, the rules read only what counted."""
    days = signals.days_without_meeting
    elapsed = signals.days_since if signals.days_since is not None else days
    return max(elapsed, days), words.left_out(signals.left_out_away, signals.left_out_unasked)


def _fired(rule: Rule, fired: tuple[bool, bool], both: str, one: Callable[[int], str]) -> list[Reason]:
    """One reason for both partners together, or one for each partner it holds for."""
    if all(fired):
        return [Reason(rule, Who.BOTH, both)]
    return [Reason(rule, who, one(i)) for i, who in enumerate((Who.FIRST, Who.SECOND)) if fired[i]]
