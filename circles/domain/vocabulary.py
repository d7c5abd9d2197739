"""The named states and kinds of the glossary."""

from enum import StrEnum


class Role(StrEnum):
    """What a member is in a cohort."""

    LEARNER = "learner"
    COACH = "coach"
    MENTOR = "mentor"
    PEER = "peer"

    @property
    def plural(self) -> str:
        """The role's name for several ("coaches", not "coachs")."""
        return "coaches" if self is Role.COACH else f"{self.value}s"

    @property
    def guides(self) -> bool:
        """Coaches and mentors take partners; learners and peers do not."""
        return self in GUIDE_ROLES


GUIDE_ROLES = (Role.COACH, Role.MENTOR)


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class PairingMode(StrEnum):
    """Which partnerships a cohort forms besides its circles."""

    NONE = "none"
    PEER = "peer"
    COACH_LEARNER = "coach_learner"
    MENTOR_LEARNER = "mentor_learner"

    @property
    def guided(self) -> bool:
        """Learners with a coach or mentor, whom they may also ask for themselves in the directory."""
        return self in (PairingMode.COACH_LEARNER, PairingMode.MENTOR_LEARNER)


class MeetingPlace(StrEnum):
    """Where a circle's conversation happens in Slack."""

    PRIVATE_CHANNEL = "private_channel"
    GROUP_DM = "group_dm"


class PartnershipKind(StrEnum):
    PEER = "peer"
    COACH_LEARNER = "coach_learner"
    MENTOR_LEARNER = "mentor_learner"


class PartnershipStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


# A paused partnership still runs: it holds its place and comes back.
RUNNING_PARTNERSHIP = (PartnershipStatus.ACTIVE, PartnershipStatus.PAUSED)


class EndReason(StrEnum):
    """Why a partnership ended; shown to facilitators only."""

    COMPLETED = "completed"
    NO_FAULT = "no_fault"
    MEMBER_LEFT = "member_left"
    REMATCHED = "rematched"
    FACILITATOR = "facilitator"
    # Slack never opened the pair's conversation (its round's step gave up) and the round is through: the
    # two were never introduced, so it was no partnership. Matching does not keep them apart, reports and
    # research exports leave it out.
    NEVER_MADE = "never_made"


class EscalationStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


class OutboxStatus(StrEnum):
    """Where a message is on its way to Slack."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"
    SUPERSEDED = "superseded"  # held back, then replaced by a newer message of its kind: never sent


class PartnershipHealthState(StrEnum):
    """How a partnership is doing, from its check-ins; seen by the cohort's facilitators only."""

    THRIVING = "thriving"
    STEADY = "steady"
    NEEDS_ATTENTION = "needs_attention"
    STRUGGLING = "struggling"


class SurveyPhase(StrEnum):
    """When in a cohort's life a survey goes out: at its start, half-way, and at its end."""

    BASELINE = "baseline"
    MIDPOINT = "midpoint"
    END = "end"
