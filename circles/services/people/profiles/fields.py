"""What a profile holds: the fields a person writes about themselves, and the limits each keeps to."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from circles.domain.requests import MAX_CAPACITY
from circles.persistence.models import Profile

# Characters per field: enough for a few sentences, short enough to read in a directory.
LIMITS = {
    "interests": 500,
    "skills": 500,
    "aspirations": 500,
    "department": 120,
    "seniority": 64,
    "availability": 300,
    "offers": 500,
}


@dataclass(frozen=True)
class ProfileFields:
    """What a person writes about themselves; offers and capacity only count for coaches and mentors."""

    interests: str = ""
    skills: str = ""
    aspirations: str = ""
    department: str = ""
    seniority: str = ""
    availability: str = ""
    offers: str = ""
    capacity: int | None = None

    def trimmed(self) -> ProfileFields:
        return replace(self, **{name: getattr(self, name).strip() for name in LIMITS})


def profile_problems(profile: ProfileFields) -> dict[str, str]:
    """Each field that breaks a rule, with what to change; pure, so it can run before the ack."""
    problems = {
        name: f"Please keep this under {limit} characters."
        for name, limit in LIMITS.items()
        if len(getattr(profile, name).strip()) > limit
    }
    if profile.capacity is not None and not 0 <= profile.capacity <= MAX_CAPACITY:
        problems["capacity"] = f"Choose a whole number from 0 to {MAX_CAPACITY}."
    return problems


def written(profile: Profile | None) -> bool:
    """Whether the person has a profile of their own: something they told others on it, or the partners they
    take (0 too: a choice). What Slack says of them (time zone, name), kept from their join on, is not one:
    the profile form still opens for them."""
    return profile is not None and (
        any(getattr(profile, name) for name in LIMITS) or profile.capacity is not None
    )


def fields_of(profile: Profile) -> ProfileFields:
    """What a stored profile says, as the fields its owner writes."""
    return ProfileFields(
        **{f.name: getattr(profile, f.name) for f in fields(ProfileFields) if f.name != "capacity"},
        capacity=profile.capacity,
    )
