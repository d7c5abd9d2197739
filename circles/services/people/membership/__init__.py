"""Join, leave, pause and resume: a person's place in cohorts (`joining`, `leaving`, `resuming`; erasure after
leaving: `people.erasure`)."""

from circles.services.people.membership.joining import JoinChoice, Joined, add_to_cohort, join, join_choice
from circles.services.people.membership.leaving import MAX_PAUSE_WEEKS, Left, leave, pause
from circles.services.people.membership.resuming import Resumed, resume, resume_pause

__all__ = [
    "MAX_PAUSE_WEEKS",
    "JoinChoice",
    "Joined",
    "Left",
    "Resumed",
    "add_to_cohort",
    "join",
    "join_choice",
    "leave",
    "pause",
    "resume",
    "resume_pause",
]
