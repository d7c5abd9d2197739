"""The root of every product error and the shared shapes of refusal that name a cohort or list fields."""

from __future__ import annotations


class CirclesError(Exception):
    """A request the product refuses for a reason the person can act on."""


class _AboutCohort(CirclesError):
    """A refusal about one cohort, which it names by its short name."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


class _SeveralCohorts(CirclesError):
    """The person is in several cohorts; the refusal lists their short names."""

    def __init__(self, slugs: list[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = slugs


class _NamedCohort(CirclesError):
    """A refusal about one cohort, which it names by its display name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _FieldProblems(CirclesError):
    """Fields that break a rule; `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
