"""A cohort file (YAML, pure): a cohort's settings, facilitators and members, as a facilitator writes them.

`parse_cohort_file` reads one and checks it by the settings form's rules, raising `CohortFileInvalid`
with every problem found, each pinned to a line and a field (`FileProblem`); what it gives back is a
`CohortFile`, whose people (`PersonRef`) are named by Slack user ID or by email. Once the emails are
looked up, `same_person_twice` finds entries that name one person twice. What a file may hold (its
limits, its keys, where each setting is written) is in `schema`.
"""

from circles.domain.cohort_file.contents import CohortFile, MemberEntry, PersonRef
from circles.domain.cohort_file.parse import parse_cohort_file
from circles.domain.cohort_file.problems import CohortFileInvalid, FileProblem, same_person_twice
from circles.domain.cohort_file.schema import LISTED_PROBLEMS, MAX_BYTES, MAX_FACILITATORS, MAX_MEMBERS

__all__ = [
    "LISTED_PROBLEMS",
    "MAX_BYTES",
    "MAX_FACILITATORS",
    "MAX_MEMBERS",
    "CohortFile",
    "CohortFileInvalid",
    "FileProblem",
    "MemberEntry",
    "PersonRef",
    "parse_cohort_file",
    "same_person_twice",
]
