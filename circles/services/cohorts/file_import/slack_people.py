"""Who the people a cohort file names turned out to be in Slack."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.cohort_file import CohortFile


@dataclass(frozen=True)
class SlackPerson:
    """Who an entry of the file turned out to be, with what Slack says about them."""

    user_id: str
    email: str | None = None
    display_name: str | None = None
    timezone: str | None = None
    team_id: str | None = None  # their own workspace (T…), which an org-wide token must name for them


def as_given(cohort_file: CohortFile) -> dict[str, SlackPerson]:
    """The people of a file that names everyone by user ID, taken as written without asking Slack."""
    return {ref.key: SlackPerson(ref.user_id) for ref in cohort_file.people() if ref.user_id}
