"""What a research export reads about one cohort, each question one statement whatever the cohort's size:
who it had and what they agreed to (`people`), and what happened up to the export's moment (`history`)."""

from circles.queries.research.history import (
    CheckInRow,
    EscalationRow,
    SurveyAnswerRow,
    cohort_checkins,
    cohort_escalations,
    cohort_health,
    cohort_survey_answers,
)
from circles.queries.research.people import (
    Identities,
    MemberRow,
    PartnershipRow,
    cohort_members,
    cohort_partnerships,
    consent_histories,
    workspace_identities,
)

__all__ = [
    "CheckInRow",
    "EscalationRow",
    "Identities",
    "MemberRow",
    "PartnershipRow",
    "SurveyAnswerRow",
    "cohort_checkins",
    "cohort_escalations",
    "cohort_health",
    "cohort_members",
    "cohort_partnerships",
    "cohort_survey_answers",
    "consent_histories",
    "workspace_identities",
]
