"""Errors named after the rule they guard; the Slack adapter turns each into a friendly message."""

from __future__ import annotations


class CirclesError(Exception):
    """A request the product refuses for a reason the person can act on."""


class WorkspaceUnknown(CirclesError):
    """Nothing is stored for this workspace yet."""


class NotAllowedToCreateCohorts(CirclesError):
    """Only workspace admins/owners and CIRCLES_ADMINS create cohorts."""


class NotAFacilitator(CirclesError):
    """Only the cohort's facilitators (and admins) may do this."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


class InvalidSlug(CirclesError):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class SlugTaken(CirclesError):
    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


class CohortNotFound(CirclesError):
    def __init__(self, slug: str, suggestions: list[str]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.suggestions = suggestions


class InvalidCohortSettings(CirclesError):
    """Settings that break a rule; `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


class RoleNotOffered(CirclesError):
    def __init__(self, role: str, offered: list[str]) -> None:
        super().__init__(role)
        self.role = role
        self.offered = offered


class NotAMember(CirclesError):
    """The person is not (or no longer) in the cohort they named."""

    def __init__(self, slug: str | None) -> None:
        super().__init__(slug or "")
        self.slug = slug


class WhichCohort(CirclesError):
    """The person is in several cohorts and must say which one."""

    def __init__(self, slugs: list[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = slugs


class InvalidPause(CirclesError):
    """A pause is a whole number of weeks within limits."""


class NothingToResume(CirclesError):
    """The person has no paused membership."""
