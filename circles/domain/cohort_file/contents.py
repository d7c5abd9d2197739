"""What a cohort file says once read: the cohort's settings, its facilitators and its members."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.cohort_rules import CohortSettings
from circles.domain.vocabulary import MemberStatus, Role


@dataclass(frozen=True)
class PersonRef:
    """Someone the file names by Slack user ID or by email, and where it does."""

    user_id: str | None
    email: str | None
    line: int
    field: str

    @property
    def key(self) -> str:
        return self.user_id or (self.email or "").lower()


@dataclass(frozen=True)
class MemberEntry:
    person: PersonRef
    role: Role
    status: MemberStatus | None  # None: keep the stored status (active for someone new)
    profile: dict[str, str | int]  # only the profile fields the file gives


@dataclass(frozen=True)
class CohortFile:
    file: str
    slug: str
    slug_line: int
    settings: CohortSettings  # what the file says, with defaults for what it leaves out
    facilitators: list[PersonRef]
    members: list[MemberEntry]
    # Settings the file leaves out that keep what is stored (the survey plan, the research statement,
    # whose change would ask every member to consent again).
    unwritten: tuple[str, ...] = ()

    def people(self) -> list[PersonRef]:
        return [*self.facilitators, *(member.person for member in self.members)]
