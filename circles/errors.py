"""Errors named after the rule they guard; the Slack adapter turns each into a friendly message."""

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


class WorkspaceUnknown(CirclesError):
    """Nothing is stored for this workspace yet."""


class NotAllowedToCreateCohorts(CirclesError):
    """Only workspace admins/owners and CIRCLES_ADMINS create cohorts."""


class NotAFacilitator(_AboutCohort):
    """Only the cohort's facilitators (and admins) may do this."""


class InvalidSlug(CirclesError):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class SlugTaken(_AboutCohort):
    """Each cohort of a workspace has its own short name."""


class CohortNotFound(_AboutCohort):
    """No cohort of the workspace goes by that short name; `suggestions` are the nearest that do."""

    def __init__(self, slug: str, suggestions: list[str]) -> None:
        super().__init__(slug)
        self.suggestions = suggestions


class InvalidCohortSettings(_FieldProblems):
    """Settings that break a rule."""


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
    """The person has no paused membership."""


class NotInAnyCohort(CirclesError):
    """Profiles and the directory are for people in a cohort of this workspace."""


class InvalidProfile(_FieldProblems):
    """Profile fields that break a rule."""


class ProfileNotShared(CirclesError):
    """A profile is shown only to people who share a cohort with its owner (and to its owner)."""


class NotALearnerThere(_AboutCohort):
    """Only an active learner of the cohort may ask one of its coaches or mentors."""


class GuideNotAvailable(_AboutCohort):
    """The person asked is not an active coach or mentor of that cohort."""


class CohortOver(_AboutCohort):
    """The cohort's end date has passed: its coaches and mentors take no new partners through it."""


class RequestAlreadyOpen(_AboutCohort):
    """A learner has at most one open request per cohort."""


class AlreadyPartnered(_AboutCohort):
    """The learner already has a coach or mentor in that cohort."""


class PartneredBefore(_AboutCohort):
    """The two ended a partnership in that cohort; only its facilitators can bring them together again."""


class GuideFull(CirclesError):
    """The coach or mentor has no room for another partner; `answering` when the coach is the one acting."""

    def __init__(self, answering: bool = False) -> None:
        super().__init__("answering" if answering else "asking")
        self.answering = answering


class RequestNotForYou(CirclesError):
    """Only the coach or mentor a request is addressed to may answer it."""


class RequestClosed(CirclesError):
    """The request was already answered or withdrawn."""


class RequestLapsed(RequestClosed):
    """The learner stopped looking meanwhile (paused, left, found a partner), the cohort ended, or (`yours`)
    the coach no longer guides in that cohort: the request closed instead of being accepted."""

    def __init__(self, yours: bool = False) -> None:
        super().__init__("yours" if yours else "theirs")
        self.yours = yours


class GuidePaused(CirclesError):
    """A coach or mentor on a pause takes no new partner until they resume."""


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


class NoEndedPartnership(_AboutCohort):
    """Only two members whose partnership in this cohort ended can be allowed to be matched again."""


class PartnershipNotYours(CirclesError):
    """Only the two partners may pause, resume or end a partnership."""


class PartnershipOver(CirclesError):
    """The partnership has already ended."""


class InvalidDigestDays(CirclesError):
    """A digest comes on one or more weekdays; muting it is how to have none."""

    def __init__(self) -> None:
        super().__init__("Choose at least one day for your digest (or mute it from the digest itself).")


# Check-ins and support


class CheckInNotYours(CirclesError):
    """Someone else's check-in, another workspace's, or none at all: the refusal reveals nothing."""


class CheckInAlreadyAnswered(CirclesError):
    """A check-in is answered once."""


class CheckInSuperseded(CirclesError):
    """A newer check-in for the same partnership exists; `newer_answered` when they already answered it."""

    def __init__(self, newer_answered: bool = False) -> None:
        super().__init__("answered" if newer_answered else "waiting")
        self.newer_answered = newer_answered


class CheckInClosed(CirclesError):
    """The partnership is paused or has ended, so its check-ins take no answers."""


class InvalidCheckIn(_FieldProblems):
    """Answer fields that break a rule."""


class SurveyNotYours(CirclesError):
    """Someone else's survey, another workspace's, or none at all: the refusal reveals nothing."""


class SurveyAlreadyAnswered(CirclesError):
    """A survey is answered once."""


class SurveyClosed(CirclesError):
    """The survey no longer takes answers: its time is up, or the member left."""


class SurveyWaitsForYou(CirclesError):
    """The member is paused: their survey, still open, takes their answers once they resume."""


class CohortSettingsChanged(CirclesError):
    """Someone saved the cohort's settings (or its facilitators) after this form was opened: saving it
    would quietly undo their change, so nothing is saved."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


class SurveyChanged(CirclesError):
    """The instrument's file changed since the form was opened: its answers would be read against other
    questions or scales, so none is kept."""


class InvalidSurveyAnswer(_FieldProblems):
    """Answers that do not fit the instrument, by item id."""


class NoActivePartnership(CirclesError):
    """Check-ins are about partnerships, and the person has no active one."""


class ConsentWhichCohort(_SeveralCohorts):
    """A consent said without a cohort, by someone in several: each cohort has its own statement."""


class ConsentStatementChanged(_NamedCohort):
    """An agreement pressed under a research statement the cohort has changed since: it is not recorded."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(name)
        self.version = version


class SupportWhichCohort(_SeveralCohorts):
    """The person is in several cohorts and must name the one whose facilitators should hear."""


class NoFacilitators(_NamedCohort):
    """The cohort has nobody to receive a support request yet."""


class NobodyMayHear(NoFacilitators):
    """The cohort's facilitators may not hear this member's request (each is, or was, paired with them),
    and no admin may either."""


class InvalidSupportMessage(CirclesError):
    """A support message longer than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(str(limit))
        self.limit = limit


class SupportNeedsACohort(CirclesError):
    """Support requests go to a cohort's facilitators, and the person is in no cohort here."""


class PartnershipInAnotherCohort(_NamedCohort):
    """Support about a partnership goes to the facilitators of its own cohort, not of the one chosen."""


# Escalations


class EscalationNotYours(CirclesError):
    """Only the cohort's facilitators (and admins) act on an escalation; anyone else learns nothing of it."""


class EscalationTaken(CirclesError):
    """Another facilitator already said they would reach out."""

    def __init__(self, claimed_by: str) -> None:
        super().__init__(claimed_by)
        self.claimed_by = claimed_by


class EscalationClosed(CirclesError):
    """The escalation was already resolved."""


# Availability


class InvalidAwayTime(CirclesError):
    """Away for 1 to 26 weeks, or until a date after today and within a year; the message says which."""


class InvalidWorkingHours(CirclesError):
    """Working hours read like `Mon-Fri 08:00-17:00`; a rota entry's dates are near and in order."""
