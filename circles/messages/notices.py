"""Notices whose words are settled when they are recorded: a plain text, partnership changes, support."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from circles.domain.vocabulary import PartnershipStatus
from circles.messages.base import Fields, Payload


@dataclass(frozen=True)
class PlainNotice(Payload):
    """A text already in Slack's markup, shown as it is."""

    TEMPLATE: ClassVar[str] = "plain"

    text: str

    def to_args(self) -> dict[str, Any]:
        return {"text": self.text}

    @classmethod
    def from_args(cls, args: object) -> Self:
        return cls(Fields(cls.TEMPLATE, args).text("text"))


@dataclass(frozen=True)
class PartnershipChanged(Payload):
    """A partner's notice that their partnership is paused, running again or ended: never who or why."""

    TEMPLATE: ClassVar[str] = "partnership_changed"

    cohort_name: str
    status: PartnershipStatus

    def to_args(self) -> dict[str, Any]:
        return {"cohort_name": self.cohort_name, "status": self.status.value}

    @classmethod
    def from_args(cls, args: object) -> Self:
        fields = Fields(cls.TEMPLATE, args)
        return cls(fields.text("cohort_name"), fields.choice("status", PartnershipStatus))


@dataclass(frozen=True)
class PartnershipReport(Payload):
    """For a cohort's facilitators: who changed their partnership, with whom, and the reason they gave."""

    TEMPLATE: ClassVar[str] = "partnership_report"
    PRIVATE: ClassVar[bool] = True

    cohort_name: str
    slug: str
    status: PartnershipStatus
    by: str  # the partner who changed it
    partner: str
    reason: str = ""

    def to_args(self) -> dict[str, Any]:
        return {
            "cohort_name": self.cohort_name,
            "slug": self.slug,
            "status": self.status.value,
            "by": self.by,
            "partner": self.partner,
            "reason": self.reason,
        }

    @classmethod
    def from_args(cls, args: object) -> Self:
        fields = Fields(cls.TEMPLATE, args)
        return cls(
            cohort_name=fields.text("cohort_name"),
            slug=fields.text("slug"),
            status=fields.choice("status", PartnershipStatus),
            by=fields.text("by"),
            partner=fields.text("partner"),
            reason=fields.text("reason", default=""),
        )


@dataclass(frozen=True)
class SupportRequest(Payload):
    """A member's request for support, to one facilitator of their cohort."""

    TEMPLATE: ClassVar[str] = "support_request"
    PRIVATE: ClassVar[bool] = True

    cohort_name: str
    member_user_id: str
    message: str | None = None  # what they wrote, if anything
    partner_user_id: str | None = None  # set when they asked from a check-in about that partnership

    def to_args(self) -> dict[str, Any]:
        return {
            "cohort_name": self.cohort_name,
            "member_user_id": self.member_user_id,
            "message": self.message,
            "partner_user_id": self.partner_user_id,
        }

    @classmethod
    def from_args(cls, args: object) -> Self:
        fields = Fields(cls.TEMPLATE, args)
        return cls(
            cohort_name=fields.text("cohort_name"),
            member_user_id=fields.text("member_user_id"),
            message=fields.optional_text("message"),
            partner_user_id=fields.optional_text("partner_user_id"),
        )


@dataclass(frozen=True)
class CohortCare:
    """One of the person's cohorts, in the answer to what they typed: where to turn in its words."""

    slug: str
    name: str
    resources: str = ""  # empty: the answer's default wording

    def to_args(self) -> dict[str, Any]:
        return {"slug": self.slug, "name": self.name, "resources": self.resources}

    @classmethod
    def from_fields(cls, fields: Fields) -> Self:
        return cls(fields.text("slug"), fields.text("name"), fields.text("resources", default=""))


@dataclass(frozen=True)
class DirectAnswer(Payload):
    """The answer to a message typed in the app's DM: not read, who will read it, where to turn."""

    TEMPLATE: ClassVar[str] = "direct_answer"

    cohorts: tuple[CohortCare, ...]
    resources: str  # the default wording, for no cohort or a cohort without its own

    def to_args(self) -> dict[str, Any]:
        return {"cohorts": [cohort.to_args() for cohort in self.cohorts], "resources": self.resources}

    @classmethod
    def from_args(cls, args: object) -> Self:
        fields = Fields(cls.TEMPLATE, args)
        cohorts = tuple(CohortCare.from_fields(cohort) for cohort in fields.objects("cohorts"))
        return cls(cohorts, fields.text("resources", default=""))
