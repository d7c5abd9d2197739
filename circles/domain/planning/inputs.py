"""What planning takes and gives: a cohort with its people, circles, pairs and prompt tracks, and each
message it plans; and the time zone each person is planned in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from circles.domain.blackouts import Blackout
from circles.domain.cohort_rules import is_time_zone
from circles.domain.presence import taking_part
from circles.domain.schedule import Cadence, Timing
from circles.domain.vocabulary import MemberStatus

TEMPLATES = ("circle_prompt", "checkin", "pair_prompt", "coach_idea", "circle_prompt_catch_up")


class PromptText(Protocol):
    """One prompt of a track, as the planner needs it."""

    @property
    def id(self) -> str: ...
    @property
    def theme(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def follow_up(self) -> str | None: ...


@dataclass(frozen=True)
class Person:
    member_id: int
    user_id: str
    status: MemberStatus
    paused_until: datetime | None
    timezone: str  # already resolved: see zone_for
    away: tuple[tuple[datetime, datetime], ...] = ()  # away blocks (from, back at), earliest first

    def away_at(self, at: datetime) -> bool:
        """Inside one of their away blocks (the instant they are back is no longer inside)."""
        return any(start <= at < back for start, back in self.away)

    def present_at(self, at: datetime) -> bool:
        """Taking part (`taking_part`: a dated pause ends by itself) and not away at that instant."""
        return taking_part(self.status, self.paused_until, at) and not self.away_at(at)


@dataclass(frozen=True)
class CircleIn:
    circle_id: int
    conversation_id: str
    created_at: datetime
    people: tuple[Person, ...]


@dataclass(frozen=True)
class PairIn:
    partnership_id: int
    guided: bool  # coach–learner or mentor–learner: `first` is the coach or mentor
    conversation_id: str | None
    started_at: datetime
    first: Person
    second: Person
    # Guided: when the guide's earliest pair still running in the cohort began, which their session ideas
    # count from; None: this pair's own start.
    guiding_since: datetime | None = None


@dataclass(frozen=True)
class CohortIn:
    workspace_id: int
    name: str
    cadence: Cadence
    circle_prompts: Sequence[PromptText]
    pair_prompts: Sequence[PromptText]
    coach_prompts: Sequence[PromptText]
    circles: Sequence[CircleIn]
    pairs: Sequence[PairIn]
    cohort_id: int = 0  # named in logs when the cohort cannot be planned
    awaiting_since: datetime | None = None  # the newest circle still waiting for its conversation
    blackouts: tuple[Blackout, ...] = ()


@dataclass(frozen=True)
class Planned:
    """One message to record; a check-in also gets its CheckIn row (partnership, member) when it is due."""

    workspace_id: int
    key: str
    channel: str
    template: str
    args: dict[str, Any]
    due_at: datetime
    timing: Timing
    checkin: tuple[int, int] | None = None


def zone_for(own: str | None, cohort: str) -> str:
    """A person's own time zone when Slack gave a valid one, else the cohort's (else UTC)."""
    for candidate in (own, cohort):
        if candidate and is_time_zone(candidate):
            return candidate
    return "UTC"
