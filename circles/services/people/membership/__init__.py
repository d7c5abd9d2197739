"""Join, leave, pause and resume: a person's place in cohorts (`joining`, `leaving`; erasure after
leaving: `people.erasure`)."""

from circles.services.people.membership.joining import JoinChoice, Joined, add_to_cohort, join, join_choice
from circles.services.people.membership.leaving import MAX_PAUSE_WEEKS, Left, leave, pause, resume

__all__ = [
    "MAX_PAUSE_WEEKS",
    "JoinChoice",
    "Joined",
    "Left",
    "add_to_cohort",
    "join",
    "join_choice",
    "leave",
    "pause",
    "resume",
]
