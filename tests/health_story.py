"""A partnership lived through a clock moved by hand: check-ins fall due, partners answer or stay silent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health import Answer, Health, Pair, Rule, Who, evaluate
from circles.domain.vocabulary import PartnershipKind

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # a Monday
FORTNIGHT = timedelta(weeks=2)
COACH, LEARNER = 101, 102


class Clock:
    """The story's time, moved only by the story: health is worked out as of `now`, which it is given, so
    nothing needs the process's clock frozen."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def move_to(self, target_datetime: datetime) -> None:
        self.now = target_datetime

    def tick(self, delta: timedelta) -> None:
        self.now += delta


@dataclass(frozen=True)
class Reply:
    """One partner's answer to a check-in."""

    rating: int | None = 4
    met: bool = True
    support: bool = False


GOOD = Reply(4)
SILENT = None


class Story:
    def __init__(
        self,
        clock: Clock,
        kind: PartnershipKind = PartnershipKind.COACH_LEARNER,
        every: timedelta = FORTNIGHT,
    ) -> None:
        self.clock, self.every = clock, every
        self.pair = Pair(1, kind, COACH, LEARNER, clock.now)
        self.answers: list[Answer] = []
        self.last_due = clock.now

    def checkin(
        self,
        first: Reply | None = GOOD,
        second: Reply | None = GOOD,
        *,
        answered_after: timedelta = timedelta(hours=6),
    ) -> Story:
        """The next check-in falls due; each partner answers a few hours later, or stays silent."""
        due = self.last_due + self.every
        assert self.clock.now <= due, "the story moved past the next check-in"
        self.clock.move_to(due)
        self.last_due = due
        for member, reply in ((COACH, first), (LEARNER, second)):
            if reply is None:
                self.answers.append(Answer(member, self.last_due, None, None, None, False))
            else:
                answered = self.last_due + answered_after
                self.answers.append(
                    Answer(member, self.last_due, answered, reply.rating, reply.met, reply.support)
                )
        self.clock.move_to(due + answered_after)
        return self

    def after_due(self, delta: timedelta) -> Story:
        """Move the clock to this long after the latest check-in fell due."""
        self.clock.move_to(self.last_due + delta)
        return self

    def later(self, **delta: float) -> Story:
        self.clock.tick(timedelta(**delta))
        return self

    def health(self, **limits: Any) -> Health:
        return evaluate(self.pair, self.answers, self.clock.now, HealthThresholds(**limits))


def fired(health: Health) -> set[tuple[Rule, Who]]:
    return {(reason.rule, reason.who) for reason in health.reasons}


def words(health: Health) -> list[str]:
    return [reason.text for reason in health.reasons]
