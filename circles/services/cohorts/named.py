"""A cohort as people see it named: what every answer about one of their cohorts starts with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NamedCohort:
    """A cohort by its short name (the slug people type) and its display name."""

    slug: str
    name: str
