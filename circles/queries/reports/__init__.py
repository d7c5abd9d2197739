"""Cohorts' report facts: plain rows read set-based, one query per kind of row for any number of cohorts,
keyed by cohort; nothing identifying."""

from circles.queries.reports.circles import circles
from circles.queries.reports.cohort import (
    checkins,
    erased,
    escalations,
    health,
    members,
    partnerships,
    shared_notes,
)
from circles.queries.reports.facts import (
    CheckInFact,
    CircleFact,
    EscalationFact,
    HealthFact,
    MemberFact,
    PartnershipFact,
    SharedNote,
)

__all__ = [
    "CheckInFact",
    "CircleFact",
    "EscalationFact",
    "HealthFact",
    "MemberFact",
    "PartnershipFact",
    "SharedNote",
    "checkins",
    "circles",
    "erased",
    "escalations",
    "health",
    "members",
    "partnerships",
    "shared_notes",
]
