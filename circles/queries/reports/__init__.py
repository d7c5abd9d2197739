"""A cohort's report facts: plain rows read set-based, one query per kind of row, nothing identifying."""

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
)

__all__ = [
    "CheckInFact",
    "CircleFact",
    "EscalationFact",
    "HealthFact",
    "MemberFact",
    "PartnershipFact",
    "checkins",
    "circles",
    "erased",
    "escalations",
    "health",
    "members",
    "partnerships",
    "shared_notes",
]
