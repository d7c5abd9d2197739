"""Refusals about partnerships and the requests for a coach or mentor that start them."""

from __future__ import annotations

from circles.errors.base import CirclesError, _AboutCohort, _NamedCohort


class NotALearnerThere(_AboutCohort):
    """Only an active learner of the cohort may ask one of its coaches or mentors."""


class GuideNotAvailable(_AboutCohort):
    """The person asked is not an active coach or mentor of that cohort."""


class CohortOver(_AboutCohort):
    """The cohort's end date has passed: its coaches and mentors take no new partners through it, and
    no round or re-match forms in it (`matching`: the refusal is a facilitator's)."""

    def __init__(self, slug: str, *, matching: bool = False) -> None:
        super().__init__(slug)
        self.matching = matching


class NotPairingGuides(_AboutCohort):
    """The cohort pairs nobody with a coach or mentor (its pairing mode is circles only, or peers): its
    learners ask nobody there."""


class RequestAlreadyOpen(_AboutCohort):
    """A learner has at most one open request per cohort."""


class AlreadyPartnered(_AboutCohort):
    """The learner already has a coach or mentor in that cohort."""


class PartneredBefore(_AboutCohort):
    """The two ended a partnership in that cohort; only its facilitators can bring them together again."""


class GuideFull(CirclesError):
    """The coach or mentor has no room for another partner; `answering` when the coach is the one acting;
    `unopened` when they have not said how many partners they take yet (none offered, not full)."""

    def __init__(self, answering: bool = False, unopened: bool = False) -> None:
        super().__init__("answering" if answering else "asking")
        self.answering = answering
        self.unopened = unopened


class RequestNotForYou(CirclesError):
    """Only the coach or mentor a request is addressed to may answer it."""


class RequestClosed(CirclesError):
    """The request was already answered or withdrawn."""


class RequestLapsed(RequestClosed):
    """The learner stopped looking meanwhile (paused, left, found a partner), the cohort ended, (`yours`)
    the coach no longer guides in that cohort, or (`unpaired`) the cohort no longer pairs learners with
    coaches or mentors: the request closed instead of being accepted."""

    def __init__(self, yours: bool = False, *, unpaired: bool = False) -> None:
        super().__init__("yours" if yours else "unpaired" if unpaired else "theirs")
        self.yours = yours
        self.unpaired = unpaired


class GuidePaused(CirclesError):
    """A coach or mentor on a pause takes no new partner until they resume."""


class NoEndedPartnership(_AboutCohort):
    """Only two members whose partnership in this cohort ended can be allowed to be matched again."""


class PartnershipNotYours(CirclesError):
    """Only the two partners may pause, resume or end a partnership."""


class PartnershipOver(CirclesError):
    """The partnership has already ended."""


class PartnershipInAnotherCohort(_NamedCohort):
    """Support about a partnership goes to the facilitators of its own cohort, not of the one chosen."""
