"""Every table of the product; importing this module registers them all on Base.metadata."""

from circles.persistence.models.availability import AwayBlock
from circles.persistence.models.checkin import CheckIn
from circles.persistence.models.circle import Circle, CircleMembership
from circles.persistence.models.coach_request import CoachRequest
from circles.persistence.models.cohort import Cohort, Facilitator
from circles.persistence.models.consent import Consent
from circles.persistence.models.escalation import Escalation, EscalationEvent
from circles.persistence.models.health import HealthRecord
from circles.persistence.models.matching import CreationStep, MatchConstraint, MatchRun, PairOverride
from circles.persistence.models.member import GoneAccount, Member, Profile
from circles.persistence.models.notes_key_check import NotesKeyCheck
from circles.persistence.models.outbox import OutboxMessage
from circles.persistence.models.partnership import Partnership
from circles.persistence.models.seen_request import SeenRequest
from circles.persistence.models.survey import SurveyAnswer, SurveyRequest
from circles.persistence.models.workspace import RevokedTeam, Workspace

__all__ = [
    "AwayBlock",
    "CheckIn",
    "Circle",
    "CircleMembership",
    "CoachRequest",
    "Cohort",
    "Consent",
    "CreationStep",
    "Escalation",
    "EscalationEvent",
    "Facilitator",
    "GoneAccount",
    "HealthRecord",
    "MatchConstraint",
    "MatchRun",
    "Member",
    "NotesKeyCheck",
    "OutboxMessage",
    "PairOverride",
    "Partnership",
    "Profile",
    "RevokedTeam",
    "SeenRequest",
    "SurveyAnswer",
    "SurveyRequest",
    "Workspace",
]
