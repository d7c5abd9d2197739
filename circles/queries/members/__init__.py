"""Questions about memberships: a person's place in cohorts (`person`; with what waits for their answer,
`standing`), and a cohort's members, guides and their profiles (`rosters`)."""

from circles.queries.members.person import (
    add_member,
    add_member_once,
    current_memberships,
    hold_membership,
    hold_memberships,
    hold_people,
    hold_person,
    member_in,
    memberships_of,
)
from circles.queries.members.rosters import (
    cohort_members,
    guides_taking_part,
    head_counts,
    members_taking_part,
    memberships_of_people,
    present_with_profiles,
    profiles_by_user,
    user_ids_by_member,
    user_ids_of,
)

__all__ = [
    "add_member",
    "add_member_once",
    "cohort_members",
    "current_memberships",
    "guides_taking_part",
    "head_counts",
    "hold_membership",
    "hold_memberships",
    "hold_people",
    "hold_person",
    "member_in",
    "members_taking_part",
    "memberships_of",
    "memberships_of_people",
    "present_with_profiles",
    "profiles_by_user",
    "user_ids_by_member",
    "user_ids_of",
]
