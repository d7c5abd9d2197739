"""What a `/circles` subcommand is, and how a command's text splits into one.

The subcommands themselves, each with its handler, are listed once: `SUBCOMMANDS` in
bot.listeners.commands. Help, routing and parsing all read that one list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.listeners.commands.request import CommandRequest


class Audience(Enum):
    EVERYONE = "everyone"
    FACILITATORS = "facilitators"


@dataclass(frozen=True)
class Subcommand:
    """One `/circles` subcommand: what it is called, how help shows it, and what answers it."""

    key: str  # what the router dispatches on, e.g. "cohort create"
    usage: str
    summary: str
    handler: Callable[[CommandRequest], None]
    audience: Audience = Audience.EVERYONE


@dataclass(frozen=True)
class Parsed:
    """A command's text split into the subcommand it names and the words after it."""

    key: str | None  # None: the text names no subcommand we know
    args: tuple[str, ...] = ()
    rest: str = ""  # everything after the subcommand, spacing kept (names, messages)
    word: str = ""  # what the person typed first, to quote back when it is unknown


def parse(text: str | None, subcommands: Sequence[Subcommand]) -> Parsed:
    """Split `/circles` text by the subcommands there are; empty text means help."""
    known = {sub.key for sub in subcommands}
    groups: dict[str, set[str]] = {}  # first words of subcommands that take a second word
    for name in known:
        first_word, _, second_word = name.partition(" ")
        if second_word and not second_word.startswith("@"):
            groups.setdefault(first_word, set()).add(second_word)
    words = (text or "").split()
    if not words:
        return Parsed("help")
    first = words[0].lower()
    consumed = 1
    key: str | None = first
    if first in groups:
        second = words[1].lower() if len(words) > 1 else ""
        key = f"{first} {second}" if second in groups[first] else None
        consumed = 2 if key else 1
    elif first == "profile" and len(words) > 1:
        key = "profile @user"
    if key not in known:
        return Parsed(None, tuple(words[1:]), word=words[0])
    rest = _after_words(text or "", consumed)
    return Parsed(key, tuple(rest.split()), rest, words[0])


def _after_words(text: str, count: int) -> str:
    remainder = text.strip()
    for _ in range(count):
        parts = remainder.split(maxsplit=1)
        remainder = parts[1] if len(parts) > 1 else ""
    return remainder.strip()


def for_audience(subcommands: Sequence[Subcommand], runs_cohorts: bool) -> list[Subcommand]:
    """The subcommands a person may use: facilitator ones only for facilitators and admins."""
    return [s for s in subcommands if s.audience is Audience.EVERYONE or runs_cohorts]
