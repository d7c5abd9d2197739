"""Refusals about a workspace's cohorts and the people in them: creating and finding a cohort, its
settings, membership and pauses, profiles, its rounds, and each person's digest days and availability."""

from __future__ import annotations

from datetime import date

from circles.errors.base import CirclesError, _AboutCohort, _FieldProblems, _SeveralCohorts


class WorkspaceUnknown(CirclesError):
    """Nothing is stored for this workspace yet."""


class NotAllowedToCreateCohorts(CirclesError):
    """Only workspace admins/owners and CIRCLES_ADMINS create cohorts."""


class NotAFacilitator(_AboutCohort):
    """Only the cohort's facilitators (and admins) may do this."""


class InvalidSlug(CirclesError):
    """A short name that breaks a rule; the message says which."""


class SlugTaken(_AboutCohort):
    """Each cohort of a workspace has its own short name."""


class CohortNotFound(_AboutCohort):
    """No cohort of the workspace goes by that short name; `suggestions` are the nearest that do."""

    def __init__(self, slug: str, suggestions: list[str]) -> None:
        super().__init__(slug)
        self.suggestions = suggestions


class InvalidCohortSettings(_FieldProblems):
    """Settings that break a rule."""


class CohortSettingsChanged(_AboutCohort):
    """Someone saved the cohort's settings (or its facilitators) after this form was opened: saving it
    would quietly undo their change, so nothing is saved."""


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


class WhichCohort(_SeveralCohorts):
    """The person is in several cohorts and must say which one."""


class InvalidPause(CirclesError):
    """A pause is a whole number of weeks within limits."""


class NothingToResume(CirclesError):
    """The person has no paused membership; `away_until`, the local date they are back when time away
    holds them instead (`/circles back` is what they meant)."""

    def __init__(self, away_until: date | None = None) -> None:
        super().__init__(away_until.isoformat() if away_until is not None else "")
        self.away_until = away_until


class CohortEnded(_SeveralCohorts):
    """The last day of these cohorts (all the person's) is over in their own time zone: nothing in them is
    paused or resumed any more, and nobody is told of a change that is not one. `facilitating` when a
    facilitator asked (from an alert): ending the pair or resolving the alert is still theirs to do."""

    def __init__(self, slugs: list[str], *, facilitating: bool = False) -> None:
        super().__init__(slugs)
        self.facilitating = facilitating


class NotInAnyCohort(CirclesError):
    """Profiles and the directory are for people in a cohort of this workspace."""


class InvalidProfile(_FieldProblems):
    """Profile fields that break a rule."""


class ProfileNotShared(CirclesError):
    """A profile is shown only to people who share a cohort with its owner (and to its owner)."""


class StalePreview(_AboutCohort):
    """Members or settings changed since the preview; a fresh preview is needed."""

    def __init__(self, slug: str, rematch_user_id: str | None = None) -> None:
        super().__init__(slug)
        self.rematch_user_id = rematch_user_id  # set when the preview re-matched one member


class RoundBeingCreated(_AboutCohort):
    """A round of the cohort is still being created in Slack: the next one waits until it is done."""

    def __init__(self, slug: str, name: str, round_number: int) -> None:
        super().__init__(slug)
        self.name, self.round = name, round_number


class NothingToMatch(_AboutCohort):
    """Too few active members to form anything."""

    def __init__(self, slug: str, active: int) -> None:
        super().__init__(slug)
        self.active = active


class PersonNotInCohort(_AboutCohort):
    """A facilitator named someone who is not an active member of the cohort."""

    def __init__(self, slug: str, user_id: str) -> None:
        super().__init__(slug)
        self.user_id = user_id


class NoRoundYet(_AboutCohort):
    """Re-matching one member needs a round of circles and partnerships to place them in."""


class InvalidDigestDays(CirclesError):
    """A digest comes on one or more weekdays; muting it is how to have none."""

    def __init__(self) -> None:
        super().__init__("Choose at least one day for your digest (or mute it from the digest itself).")


class InvalidAwayTime(CirclesError):
    """Away for 1 to 26 weeks, or until a date after today and within a year; the message says which."""


class InvalidWorkingHours(CirclesError):
    """Working hours read like `Mon-Fri 08:00-17:00`; a rota entry's dates are near and in order."""
