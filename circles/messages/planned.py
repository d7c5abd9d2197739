"""The planner's messages (prompts, session ideas, check-ins) and a coach's daily digest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Self

from circles.domain.digests import DigestSection, stored_days, working_days
from circles.domain.nudges import Nudge, NudgeKind
from circles.messages.base import Fields, Payload
from circles.messages.flat import FlatPayload, ReadsAs


@dataclass(frozen=True)
class Prompt(FlatPayload):
    """A prompt of the cohort's track, for the week it falls in."""

    prompt_id: Annotated[str, ReadsAs("")]
    theme: str
    text: str
    follow_up: str | None
    cohort_name: str
    week: int


@dataclass(frozen=True)
class CirclePrompt(Prompt):
    """A circle's weekly reflection, in its conversation."""

    TEMPLATE: ClassVar[str] = "circle_prompt"


@dataclass(frozen=True)
class PairPrompt(Prompt):
    """A conversation starter, in a partnership's conversation."""

    TEMPLATE: ClassVar[str] = "pair_prompt"


@dataclass(frozen=True)
class CoachIdea(Prompt):
    """A session idea, to a coach or mentor only."""

    TEMPLATE: ClassVar[str] = "coach_idea"


@dataclass(frozen=True)
class MissedCirclePrompt(Prompt):
    """The latest circle prompt someone missed while away, privately in their DM on their return."""

    TEMPLATE: ClassVar[str] = "circle_prompt_catch_up"


@dataclass(frozen=True)
class CheckinQuestion(FlatPayload):
    """The check-in in a partner's DM: how is the partnership going?"""

    TEMPLATE: ClassVar[str] = "checkin"

    checkin_id: int
    cohort_name: str
    partner_user_id: str


@dataclass(frozen=True)
class CoachDigest(Payload):
    """A coach's or mentor's daily digest: what to act on, by cohort; never a rating or a note."""

    TEMPLATE: ClassVar[str] = "coach_digest"

    member_id: int  # the mute button's, checked against whoever presses it
    working_days: frozenset[int]  # the weekdays it may come on, Monday = 0
    sections: tuple[DigestSection, ...]

    def to_args(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "working_days": stored_days(self.working_days),
            "sections": [_section_args(s) for s in self.sections],
        }

    @classmethod
    def from_args(cls, args: object) -> Self:
        """Also reads a digest recorded before digests covered every cohort (one cohort's nudges)."""
        fields = Fields(cls.TEMPLATE, args)
        stored = fields.optional_text("working_days")
        if fields.present("sections"):
            sections = tuple(_section(section) for section in fields.objects("sections"))
        else:
            sections = (_section(fields),)
        return cls(fields.integer("member_id"), working_days(stored), sections)


def _section_args(section: DigestSection) -> dict[str, Any]:
    found: dict[str, Any] = {"cohort_name": section.cohort_name}
    if section.member_id is not None:  # a digest's args stay as they were when no membership is named
        found["member_id"] = section.member_id
    return found | {"nudges": [_nudge_args(n) for n in section.nudges]}


def _section(fields: Fields) -> DigestSection:
    """One cohort's part; a digest of one cohort (recorded before digests covered every cohort) is read
    whole, its membership being the digest's."""
    member_id = fields.integer("member_id") if fields.present("member_id") else None
    return DigestSection(
        fields.text("cohort_name"), tuple(_nudge(n) for n in fields.objects("nudges")), member_id
    )


def _nudge(fields: Fields) -> Nudge:
    kind, partner = fields.choice("kind", NudgeKind), fields.optional_text("partner")
    return Nudge(kind, partner, fields.integer("count", default=0))


def _nudge_args(nudge: Nudge) -> dict[str, Any]:
    return {"kind": nudge.kind.value, "partner": nudge.partner_user_id, "count": nudge.count}
