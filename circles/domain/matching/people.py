"""The people matching works on, as plain values, and the pairs that constrain them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from circles.domain.fit import LIGHT_WEIGHT, STRONG_WEIGHT, terms, wanted_terms

Pairs = frozenset[frozenset[int]]  # unordered pairs of keys: earlier groupings, conflicts and blocks


@dataclass(frozen=True)
class Person:
    """A member as circles and peer pairs see them; `key` is their member id."""

    key: int
    role: str = ""  # a Role, or any text: only equality counts
    department: str = ""
    seniority: str = ""
    utc_offset_hours: float | None = None  # None when their time zone is unknown
    terms: frozenset[str] = frozenset()  # what they are interested in, skilled at or aiming for


@dataclass(frozen=True)
class Guide:
    """A coach or mentor: `terms` from skills and offers count double, `light_terms` from interests once."""

    key: int
    capacity: int
    terms: frozenset[str] = frozenset()
    light_terms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Learner:
    """A learner and the words they look for, in their order (a topic, else aspirations and interests)."""

    key: int
    terms: tuple[str, ...] = ()


def pair(a: int, b: int) -> frozenset[int]:
    """The unordered pair of two keys, as history and forbidden hold them."""
    return frozenset((a, b))


def pairs_within(keys: Iterable[int]) -> Pairs:
    """Every pair in one group: what a formed circle adds to the history."""
    members = sorted(set(keys))
    return frozenset(pair(a, b) for i, a in enumerate(members) for b in members[i + 1 :])


def profile_terms(*texts: str) -> frozenset[str]:
    """The words of a profile's free-text fields, normalised like the directory's."""
    return frozenset(terms(" ".join(texts)))


def guide_from_profile(key: int, capacity: int, *, skills: str, offers: str, interests: str) -> Guide:
    """A guide whose fit is weighed exactly like the directory weighs it."""
    return Guide(key, capacity, profile_terms(skills, offers), profile_terms(interests))


def learner_from_profile(key: int, *, topic: str | None = None, aspirations: str, interests: str) -> Learner:
    """A learner looking for what the directory would look for on their behalf."""
    return Learner(key, wanted_terms(topic, aspirations, interests))


def fit(learner: Learner, guide: Guide) -> tuple[int, tuple[str, ...]]:
    """The directory's score (fit.score) and the learner's words it matched, in the learner's order."""
    total, matched = 0, []
    for word in learner.terms:
        if word in guide.terms:
            total += STRONG_WEIGHT
        elif word in guide.light_terms:
            total += LIGHT_WEIGHT
        else:
            continue
        matched.append(word)
    return total, tuple(matched)


@dataclass(frozen=True)
class Unplaced:
    """Someone the plan could not place, and why, in words a facilitator can act on."""

    key: int
    reason: str
