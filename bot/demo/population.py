"""A synthetic cohort for the demo: people with plausible profiles, written as a cohort file."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import yaml

from circles.domain.cohort_file import CohortFile

FIRST = (
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jonah",
    "Kavya",
    "Liam",
    "Maya",
    "Nikhil",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zane",
    "Aisha",
    "Bruno",
    "Carmen",
    "Dara",
)
LAST = (
    "Okafor",
    "Nguyen",
    "Patel",
    "Mensah",
    "Garcia",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "Osei",
    "Moreau",
    "Tanaka",
    "Reyes",
    "Novak",
    "Adeyemi",
    "Silva",
    "Byrne",
    "Chen",
    "Dubois",
    "Farah",
    "Ivanova",
)
DEPARTMENTS = (
    "Emergency Medicine",
    "Internal Medicine",
    "Surgery",
    "Paediatrics",
    "Nursing",
    "Psychiatry",
    "Family Medicine",
    "Pharmacy",
)
INTERESTS = (
    "wellbeing",
    "teaching",
    "research",
    "quality improvement",
    "global health",
    "leadership",
    "communication",
    "health equity",
    "simulation",
    "palliative care",
)
ASPIRATIONS = (
    "become a clinician educator",
    "lead a quality improvement project",
    "a fellowship in critical care",
    "grow as a team leader",
    "balance clinical work and research",
    "work in global health",
)
ZONES = ("America/Chicago", "America/Chicago", "America/New_York", "America/Denver")
TEAM_DOMAIN = "demo-health.example"


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    email: str
    timezone: str
    role: str  # learner | coach | facilitator


def people(members: int, seed: int) -> list[Person]:
    """Two facilitators, then members: one coach (with room for three) for every three learners."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible story, not secrets
    names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], members + 2)
    coaches = max(1, round(members / 4))
    found = []
    for index, name in enumerate(names):
        role = "facilitator" if index < 2 else ("coach" if index < 2 + coaches else "learner")
        email = name.lower().replace(" ", ".") + "@" + TEAM_DOMAIN
        found.append(Person(f"U0DEMO{index:03d}", name, email, rng.choice(ZONES), role))
    return found


def cohort_file(crowd: list[Person], starts_on: date, weeks: int, seed: int) -> str:
    """The cohort as a facilitator would write it for `circles cohort import`."""
    rng = random.Random(seed + 1)  # noqa: S311
    members = []
    for person in crowd:
        if person.role == "facilitator":
            continue
        entry: dict[str, object] = {
            "email": person.email,
            "role": person.role,
            "department": rng.choice(DEPARTMENTS),
            "interests": rng.sample(INTERESTS, 2),
        }
        if person.role == "coach":
            entry |= {
                "skills": rng.sample(INTERESTS, 3),
                "offers": "monthly coaching conversations",
                "capacity": 3,
            }
        else:
            entry["aspirations"] = rng.choice(ASPIRATIONS)
        members.append(entry)
    document = {
        "cohort": {
            "slug": "demo-pgy1",
            "name": "PGY-1 residents (demo)",
            "facilitators": [p.email for p in crowd if p.role == "facilitator"],
            "circle_size": {"min": 4, "max": 6},
            "pairing": "coach_learner",
            "meet_in": "private_channel",
            "prompts": {"weekday": "monday", "time": "09:00", "track": "default"},
            "checkin_every_weeks": 1,
            "timezone": "America/Chicago",
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(weeks=weeks),
        },
        "members": members,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def crowd_from_file(cohort_file: CohortFile) -> list[Person]:
    """Everyone a cohort file names, facilitators first, as the stand-in's directory will know them."""
    found: dict[str, Person] = {}
    entries = [(ref, "facilitator") for ref in cohort_file.facilitators]
    entries += [(member.person, member.role.value) for member in cohort_file.members]
    for ref, role in entries:
        if ref.key in found:
            continue
        user_id = ref.user_id or f"U0FILE{len(found):03d}"
        email = ref.email or f"{user_id.lower()}@{TEAM_DOMAIN}"
        name = email.split("@")[0].replace(".", " ").title() if ref.email else user_id
        found[ref.key] = Person(user_id, name, email, ZONES[0], role)
    return list(found.values())
