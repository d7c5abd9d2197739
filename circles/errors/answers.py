"""Refusals about answers: check-ins, surveys, research consent, support requests and escalations."""

from __future__ import annotations

from circles.errors.base import CirclesError, _FieldProblems, _NamedCohort, _SeveralCohorts


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


class SurveyChanged(CirclesError):
    """The instrument's file changed since the form was opened: its answers would be read against other
    questions or scales, so none is kept."""


class InvalidSurveyAnswer(_FieldProblems):
    """Answers that do not fit the instrument, by item id."""


class NoActivePartnership(CirclesError):
    """Check-ins are about partnerships, and the person has no active one."""


class CheckInsWaitForYou(NoActivePartnership):
    """The person paused themselves, or is `away` (their own block, a rotation or leave): no check-in opens
    for them until they are back, as none is sent."""

    def __init__(self, away: bool = False) -> None:
        super().__init__("away" if away else "")
        self.away = away


class CheckInsWaitForPair(NoActivePartnership):
    """The person's partnership is paused: its check-ins wait until it resumes."""


class CheckInsWaitForPartner(NoActivePartnership):
    """Each partner of the person's is paused or away: the check-in waits until they are back (never why);
    `several` when there is more than one."""

    def __init__(self, several: bool = False) -> None:
        super().__init__("several" if several else "")
        self.several = several


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


class EscalationNotYours(CirclesError):
    """Only the cohort's facilitators (and admins) act on an escalation; anyone else learns nothing of it."""


class EscalationTaken(CirclesError):
    """Another facilitator already said they would reach out."""

    def __init__(self, claimed_by: str) -> None:
        super().__init__(claimed_by)
        self.claimed_by = claimed_by


class EscalationClosed(CirclesError):
    """The escalation was already resolved."""
