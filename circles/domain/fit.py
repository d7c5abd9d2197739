"""How well a coach or mentor fits what a learner is looking for: a ranking anyone can explain."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

STRONG_WEIGHT = 2  # a match on what a coach is skilled in or offers
LIGHT_WEIGHT = 1  # a match on what they are merely interested in

_WORD = re.compile(r"[^\W_]+")  # ASCII letters and digits; commas, dashes, slashes split words
_STOP_WORDS = """
    a about after all also am an and any are as at be been being but by can could do does for from get
    had has have how i if in into is it its just like me more most my no not of on or our out over so
    some such than that the their them then there these they this to too up us very want was we were
    what when where which who will with would you your
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def terms(text: str) -> tuple[str, ...]:
    """The normalised words of free text, in the order they first appear, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) < 2 or word in STOP_WORDS:
            continue
        seen.setdefault(stem(word), None)
    return tuple(seen)


def words(text: str) -> list[str]:
    r"""The words of free text, case-folded: runs of letters, marks and digits in any script.

    Python's `\w` leaves out combining marks, which many scripts write words with (Hindi, Thai, Tamil;
    a decomposed "é"), so beyond ASCII a word is read by Unicode category, after NFKC normalisation, so
    that a composed and a decomposed "résumé" are one word."""
    if text.isascii():
        return _WORD.findall(text.casefold())
    found, current = [], []
    for char in unicodedata.normalize("NFKC", text).casefold():
        if unicodedata.category(char)[0] in "LMN":
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def stem(word: str) -> str:
    """Fold simple plurals onto the singular, so "mentors" finds "mentor" and "studies" finds "study"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def wanted_terms(topic: str | None, aspirations: str, interests: str) -> tuple[str, ...]:
    """What to match coaches against: the topic when it says something, else the learner's own profile."""
    from_topic = terms(topic or "")
    return from_topic or terms(f"{aspirations} {interests}")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """A coach or mentor as the ranking sees them; `item` is whatever the caller wants back."""

    item: T
    name: str
    skills: str
    offers: str
    interests: str
    remaining: int  # partners they can still take
    tiebreak: str = ""  # a stable last resort (a user ID), so equal entries never swap places


@dataclass(frozen=True)
class Ranked(Generic[T]):
    candidate: Candidate[T]
    score: int
    matches: tuple[str, ...]  # the learner's words this coach matched, in the learner's order

    @property
    def full(self) -> bool:
        return self.candidate.remaining <= 0


def score(candidate: Candidate[T], wanted: Sequence[str]) -> Ranked[T]:
    """Weigh each wanted word once: skills and offers count double, interests single."""
    strong = set(terms(f"{candidate.skills} {candidate.offers}"))
    light = set(terms(candidate.interests))
    total, matches = 0, []
    for word in wanted:
        if word in strong:
            total += STRONG_WEIGHT
        elif word in light:
            total += LIGHT_WEIGHT
        else:
            continue
        matches.append(word)
    return Ranked(candidate, total, tuple(matches))


def rank(candidates: Iterable[Candidate[T]], wanted: Sequence[str]) -> list[Ranked[T]]:
    """Best fit first; among equals more room first, then by name; those with no room come last."""
    scored = [score(candidate, wanted) for candidate in candidates]
    return sorted(
        scored,
        key=lambda r: (
            r.full,
            -r.score,
            -r.candidate.remaining,
            r.candidate.name.casefold(),
            r.candidate.tiebreak,
        ),
    )
