"""A member's survey in their DM, and its one reminder: which request, which instrument, which cohort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from circles.domain.vocabulary import SurveyPhase
from circles.messages.flat import FlatPayload


@dataclass(frozen=True)
class SurveyInvite(FlatPayload):
    """An instrument to answer, with a button that opens it as a form."""

    TEMPLATE: ClassVar[str] = "survey_invite"

    request_id: int
    instrument: str
    phase: SurveyPhase
    cohort_name: str


@dataclass(frozen=True)
class SurveyReminder(SurveyInvite):
    """The one reminder of an unanswered survey, while it still takes answers."""

    TEMPLATE: ClassVar[str] = "survey_reminder"
