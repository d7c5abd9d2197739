"""Typed outgoing messages: one frozen dataclass per kind, stored as its template name and plain arguments.

Services build a payload (`EscalationCard(...)`, `SupportRequest(...)`) and record it with
circles.services.outbox.enqueue; the Slack adapter reads the stored row back with `parse` and renders it at
send time, so a wording change reaches messages already waiting. A row that does not fit its kind raises
MalformedPayload, one that names no known kind UnknownTemplate.
"""

from __future__ import annotations

from typing import Any

from circles.messages.availability import PartnerAway, PartnerBack
from circles.messages.base import MalformedPayload, Payload, UnknownTemplate
from circles.messages.escalation import (
    Claim,
    EscalationCard,
    EscalationWithdrawn,
    Resolution,
    SharedNote,
    Snooze,
    TrendPoint,
)
from circles.messages.notices import (
    UNNAMED,
    CircleAlone,
    CohortCare,
    CohortRun,
    DirectAnswer,
    Holder,
    PartnershipChanged,
    PartnershipReport,
    PlainNotice,
    RequestClosedBecause,
    RequestClosedNotice,
    RequestCopyClosed,
    ReroutedTo,
    SupportRequest,
    SupportRerouted,
    WorkflowNote,
)
from circles.messages.planned import (
    CheckinQuestion,
    CirclePrompt,
    CoachDigest,
    CoachIdea,
    MissedCirclePrompt,
    PairPrompt,
)
from circles.messages.surveys import SurveyInvite, SurveyReminder
from circles.messages.unshown import SupportNotShown, SupportUnshown
from circles.messages.welcome import CohortWelcome, Host

__all__ = [
    "KINDS",
    "UNNAMED",
    "URGENT",
    "CheckinQuestion",
    "CircleAlone",
    "CirclePrompt",
    "Claim",
    "CoachDigest",
    "CoachIdea",
    "CohortCare",
    "CohortRun",
    "CohortWelcome",
    "DirectAnswer",
    "EscalationCard",
    "EscalationWithdrawn",
    "Holder",
    "Host",
    "MalformedPayload",
    "MissedCirclePrompt",
    "PairPrompt",
    "PartnerAway",
    "PartnerBack",
    "PartnershipChanged",
    "PartnershipReport",
    "Payload",
    "PlainNotice",
    "RequestClosedBecause",
    "RequestClosedNotice",
    "RequestCopyClosed",
    "ReroutedTo",
    "Resolution",
    "SharedNote",
    "Snooze",
    "SupportNotShown",
    "SupportRequest",
    "SupportRerouted",
    "SupportUnshown",
    "SurveyInvite",
    "SurveyReminder",
    "TrendPoint",
    "UnknownTemplate",
    "WorkflowNote",
    "parse",
    "stored",
]

KINDS: dict[str, type[Payload]] = {
    kind.TEMPLATE: kind
    for kind in (
        PlainNotice,
        CircleAlone,
        PartnershipChanged,
        PartnershipReport,
        SupportRequest,
        SupportRerouted,
        SupportUnshown,
        SupportNotShown,
        WorkflowNote,
        DirectAnswer,
        CirclePrompt,
        PairPrompt,
        CoachIdea,
        CheckinQuestion,
        CoachDigest,
        EscalationCard,
        EscalationWithdrawn,
        MissedCirclePrompt,
        PartnerAway,
        PartnerBack,
        SurveyInvite,
        SurveyReminder,
        CohortWelcome,
        RequestClosedNotice,
        RequestCopyClosed,
    )
}

# The templates of the kinds someone is waiting for now or that protect someone (Payload.URGENT).
URGENT = frozenset(template for template, kind in KINDS.items() if kind.URGENT)


def parse(template: str, args: object) -> Payload:
    """The typed message a stored row holds; UnknownTemplate or MalformedPayload when it holds none."""
    try:
        kind = KINDS[template]
    except KeyError:
        raise UnknownTemplate(template) from None
    return kind.from_args(args)


def stored(payload: Payload) -> dict[str, Any]:
    """What the outbox keeps of a message: template, arguments, and whether to scrub them once sent."""
    row: dict[str, Any] = {"template": payload.TEMPLATE, "args": payload.to_args()}
    if payload.PRIVATE:
        row["private"] = True
    return row
