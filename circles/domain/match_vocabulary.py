"""Names for matching: constraints people declare, runs and the steps that create them in Slack."""

from enum import StrEnum


class ConstraintKind(StrEnum):
    """Why two people must never be put together; private to whoever declared it and facilitators."""

    NEVER = "never"  # "never match me with X", no reason asked
    REPORTS_TO = "reports_to"
    ASSESSES = "assesses"


class RunStatus(StrEnum):
    PREVIEWED = "previewed"
    CONFIRMED = "confirmed"  # rows exist; Slack conversations being created
    COMPLETE = "complete"
    SUPERSEDED = "superseded"  # a newer preview replaced it before it was confirmed


class StepKind(StrEnum):
    """One Slack action of creating a round; each is recorded so a rerun never does it twice."""

    CIRCLE_CONVERSATION = "circle_conversation"
    CIRCLE_INVITE = "circle_invite"
    CIRCLE_KICKOFF = "circle_kickoff"
    PAIR_CONVERSATION = "pair_conversation"
    PAIR_KICKOFF = "pair_kickoff"


class StepStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # permanently (e.g. a deactivated user); reported, never blocks the rest
    # Its pair ended, or everyone left its circle, before Slack was asked: nothing is made or posted.
    NOT_NEEDED = "not_needed"
