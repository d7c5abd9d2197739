"""The `/circles` subcommands (the README's "In Slack") and how a command's text splits into them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Audience(Enum):
    EVERYONE = "everyone"
    FACILITATORS = "facilitators"


@dataclass(frozen=True)
class Subcommand:
    key: str  # what the router dispatches on, e.g. "cohort create"
    usage: str
    summary: str
    audience: Audience = Audience.EVERYONE


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "help", "Show this list."),
    Subcommand("join", "join <cohort>", "Join a cohort and choose your role."),
    Subcommand("leave", "leave [<cohort>]", "Leave a cohort; you can have your personal data erased."),
    Subcommand("pause", "pause [<weeks>]", "Take a break from prompts and check-ins."),
    Subcommand("resume", "resume", "Come back after a pause."),
    Subcommand("profile", "profile", "Edit your profile: interests, skills, aspirations, availability."),
    Subcommand("profile @user", "profile @someone", "See someone's profile card."),
    Subcommand("coaches", "coaches [<topic>]", "Browse coaches and mentors, best fit first."),
    Subcommand("status", "status [<cohort>]", "Your cohorts, circles, partners and what comes next."),
    Subcommand("checkin", "checkin", "Answer your partnership check-in now."),
    Subcommand(
        "support", "support [<message>]", "Ask your facilitators for help, privately (no message: a form)."
    ),
    Subcommand("cohort create", "cohort create <slug> <name…>", "Create a cohort.", Audience.FACILITATORS),
    Subcommand("cohort config", "cohort config <slug>", "Change a cohort's settings.", Audience.FACILITATORS),
    Subcommand("match", "match <slug> [preview]", "Form circles and partnerships.", Audience.FACILITATORS),
    Subcommand(
        "health", "health <slug>", "See how the cohort's partnerships are doing.", Audience.FACILITATORS
    ),
    Subcommand(
        "report", "report <slug>", "Participation and outcomes for the cohort.", Audience.FACILITATORS
    ),
)

_BY_KEY = {sub.key: sub for sub in SUBCOMMANDS}
_GROUPS = {"cohort": ("create", "config")}  # subcommands that take a second word


@dataclass(frozen=True)
class Parsed:
    """A command's text split into the subcommand it names and the words after it."""

    key: str | None  # None: the text names no subcommand we know
    args: tuple[str, ...] = ()
    rest: str = ""  # everything after the subcommand, spacing kept (names, messages)
    word: str = ""  # what the person typed first, to quote back when it is unknown


def parse(text: str | None) -> Parsed:
    """Split `/circles` text; empty text means help."""
    words = (text or "").split()
    if not words:
        return Parsed("help")
    first = words[0].lower()
    consumed = 1
    key: str | None = first
    if first in _GROUPS:
        second = words[1].lower() if len(words) > 1 else ""
        key = f"{first} {second}" if second in _GROUPS[first] else None
        consumed = 2 if key else 1
    elif first == "profile" and len(words) > 1:
        key = "profile @user"
    if key not in _BY_KEY:
        return Parsed(None, tuple(words[1:]), word=words[0])
    rest = _after_words(text or "", consumed)
    return Parsed(key, tuple(rest.split()), rest, words[0])


def _after_words(text: str, count: int) -> str:
    remainder = text.strip()
    for _ in range(count):
        parts = remainder.split(maxsplit=1)
        remainder = parts[1] if len(parts) > 1 else ""
    return remainder.strip()


def for_audience(runs_cohorts: bool) -> list[Subcommand]:
    """The subcommands a person may use: facilitator ones only for facilitators and admins."""
    return [s for s in SUBCOMMANDS if s.audience is Audience.EVERYONE or runs_cohorts]
