"""Notices whose words are settled when they are recorded: a plain text, partnership changes, requests
for a coach that closed, support, a circle left with one member."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from circles.domain.vocabulary import PartnershipStatus
from circles.messages.flat import FlatPayload, ReadsAs


@dataclass(frozen=True)
class PlainNotice(FlatPayload):
    """A text already in Slack's markup, shown as it is."""

    TEMPLATE: ClassVar[str] = "plain"

    text: str


@dataclass(frozen=True)
class CircleAlone(FlatPayload):
    """To the one member left in a circle the others left: it no longer meets, and what can change; never
    who left or why. Someone else's leaving sent it, not anything they did, so it waits for their window."""

    TEMPLATE: ClassVar[str] = "circle_alone"

    circle_name: str
    cohort_name: str
    made: bool  # made in Slack: its weekly prompts have stopped (else it will not meet)
    facilitated: bool  # the cohort has facilitators, who were told
    refused: bool = False  # Slack let none of the others into its new channel: closed, so they can be placed

    def to_args(self) -> dict[str, Any]:
        args = super().to_args()
        if not self.refused:  # only then: a circle the others left keeps the notice's shape
            del args["refused"]
        return args


@dataclass(frozen=True)
class PartnershipChanged(FlatPayload):
    """A partner's notice that their partnership is paused, running again or ended: never who or why."""

    TEMPLATE: ClassVar[str] = "partnership_changed"

    cohort_name: str
    status: PartnershipStatus
    # The recipient's other partnerships in the cohort still running: with several, which one changed
    # is for them to see in their status, never told here.
    others_running: int = 0

    def to_args(self) -> dict[str, Any]:
        args = super().to_args()
        if not self.others_running:  # only when there are any: a single partnership's notice keeps its shape
            del args["others_running"]
        return args


# In place of someone's Slack ID in a message to another person, once they were erased.
UNNAMED = ""


class RequestClosedBecause(StrEnum):
    """Why a learner's request to work with a coach or mentor closed before it was accepted."""

    GUIDE_GONE = "guide_gone"  # the coach or mentor no longer takes partners in that cohort
    LEARNER_PAUSED = "learner_paused"  # the learner was on a pause when the coach or mentor answered


@dataclass(frozen=True)
class RequestClosedNotice(FlatPayload):
    """To a learner: their request to work with a coach or mentor closed unanswered, so that they never wait
    for an answer that cannot come. Why, in a word that blames nobody."""

    TEMPLATE: ClassVar[str] = "request_closed"

    cohort_name: str
    guide_user_id: str  # UNNAMED once the coach or mentor was erased
    because: RequestClosedBecause


@dataclass(frozen=True)
class RequestCopyClosed(FlatPayload):
    """The coach's or mentor's copy of a request, redrawn once it closed without their answer (the learner
    withdrew it, left, or was given a partner): nothing is left to press. Never why it closed."""

    TEMPLATE: ClassVar[str] = "request_copy_closed"

    cohort_name: str
    learner_user_id: str  # UNNAMED once the learner was erased


class ReroutedTo(StrEnum):
    """Who has a message (a support request, an ending report) its facilitator could not receive."""

    FACILITATORS = "facilitators"  # the cohort's other facilitators
    ADMINS = "admins"  # the programme's administrators
    NOBODY = "nobody"  # nobody could take it


@dataclass(frozen=True)
class PartnershipReport(FlatPayload):
    """For a cohort's facilitators: who changed their partnership, with whom, and the reason they gave."""

    TEMPLATE: ClassVar[str] = "partnership_report"
    PRIVATE: ClassVar[bool] = True

    cohort_name: str
    slug: str
    status: PartnershipStatus
    by: str  # the partner who changed it
    partner: str
    reason: str = ""
    # ADMINS: no facilitator could receive it, so it went to the admins, without the reason (facilitators').
    to: ReroutedTo = ReroutedTo.FACILITATORS

    def to_args(self) -> dict[str, Any]:
        args = super().to_args()
        if self.to is ReroutedTo.FACILITATORS:  # as every report was kept before admins could get one
            del args["to"]
        return args


@dataclass(frozen=True)
class SupportRequest(FlatPayload):
    """A member's request for support, to one facilitator of their cohort."""

    TEMPLATE: ClassVar[str] = "support_request"
    PRIVATE: ClassVar[bool] = True
    URGENT: ClassVar[bool] = True

    cohort_name: str
    member_user_id: str
    message: str | None = None  # what they wrote, if anything
    partner_user_id: str | None = None  # set when they asked from a check-in about that partnership


@dataclass(frozen=True)
class Holder:
    """Someone a rerouted request went to."""

    user_id: str


@dataclass(frozen=True)
class SupportRerouted(FlatPayload):
    """To the member: their facilitator could not be reached, and who has their request now; not its words."""

    TEMPLATE: ClassVar[str] = "support_rerouted"

    cohort_name: str
    to: ReroutedTo
    holders: tuple[Holder, ...] = ()  # empty when it went to nobody


@dataclass(frozen=True)
class WorkflowNote(FlatPayload):
    """A workflow's words for one facilitator of a cohort, as its builder wrote them."""

    TEMPLATE: ClassVar[str] = "workflow_note"
    PRIVATE: ClassVar[bool] = True  # the builder's words may name people: scrubbed once sent

    cohort_name: str
    text: str


@dataclass(frozen=True)
class CohortCare:
    """One of the person's cohorts, in the answer to what they typed: where to turn in its words."""

    slug: str
    name: str
    resources: str = ""  # empty: the answer's default wording
    unheard: bool = False  # nobody may hear a request for support from them there (no facilitator yet)
    to_admins: bool = False  # no facilitator there may hear it: the people who run Circles would instead
    kept: bool = False  # it has facilitators, but none of them may hear this person (never said why)


@dataclass(frozen=True)
class CohortRun:
    """A cohort the person facilitates, in the answer to what they typed."""

    slug: str
    name: str


@dataclass(frozen=True)
class DirectAnswer(FlatPayload):
    """The answer to a message typed in the app's DM: not read, who will read it, where to turn."""

    TEMPLATE: ClassVar[str] = "direct_answer"
    URGENT: ClassVar[bool] = True  # they just wrote, perhaps in distress: the answer gives where to turn

    cohorts: tuple[CohortCare, ...]
    resources: Annotated[str, ReadsAs("")]  # the default wording, for no cohort or one without its own
    runs: tuple[CohortRun, ...] = ()  # the cohorts they facilitate, the first few
    more_runs: int = 0  # how many more they facilitate

    def to_args(self) -> dict[str, Any]:
        args = super().to_args()
        for cohort in args["cohorts"]:  # only when set: an answer its facilitators hear keeps its shape
            for flag in ("to_admins", "kept"):
                if not cohort[flag]:
                    del cohort[flag]
        return args
