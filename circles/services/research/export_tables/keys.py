"""The columns that name a person or a pair in the research export, and the foreign keys to their tables."""

from __future__ import annotations

from circles.domain.research.columns import Column, ForeignKey

PERSON = Column(
    "person_id", "string", "the member's pseudonymous ID in this cohort (keyed hash)", "P- and 12 characters"
)
PAIR = Column(
    "partnership_id", "string", "the partnership's pseudonymous ID (keyed hash)", "P- and 12 characters"
)


def pair_keys() -> tuple[ForeignKey, ...]:
    """A row's pair, as a key into the partnerships table."""
    return (ForeignKey("partnership_id", "partnerships", "partnership_id"),)


def person_and_pair_keys() -> tuple[ForeignKey, ...]:
    """A row's person and pair, as keys into the people and partnerships tables."""
    return (ForeignKey("person_id", "people", "person_id"), *pair_keys())
