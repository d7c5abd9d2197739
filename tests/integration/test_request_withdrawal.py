"""A learner withdraws their own request for a coach, to ask someone else: only their own, only while it
waits, and the coach's answer afterwards finds it closed."""

from __future__ import annotations

import pytest

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import Role
from circles.errors import CohortNotFound, RequestAlreadyOpen, RequestLapsed
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest
from circles.services.partnerships.request_withdrawal import withdraw_own_request
from circles.services.partnerships.requests import accept_request
from tests.factories import NOW
from tests.integration.test_directory import ask, seed

COHORT = "pgy1-spring"


def status(db: Database, request_id: int) -> RequestStatus:
    with db.unit_of_work() as uow:
        return uow.session.get_one(CoachRequest, request_id).status


def test_a_learner_withdraws_the_request_that_waits_and_may_ask_someone_else(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    first = ask(db, "U0LEARN", "U0ADA")
    with pytest.raises(RequestAlreadyOpen):
        ask(db, "U0LEARN", "U0BOB")

    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT.upper(), NOW) == "U0ADA"

    assert status(db, first) is RequestStatus.WITHDRAWN
    second = ask(db, "U0LEARN", "U0BOB")
    assert status(db, second) is RequestStatus.OPEN
    with pytest.raises(RequestLapsed) as lapsed:  # what U0ADA still has in their messages closed already
        accept_request(db.unit_of_work(), "T0001", "U0ADA", first, NOW)
    assert not lapsed.value.yours


def test_withdrawing_again_or_with_nothing_waiting_changes_nothing(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0ADA=Role.COACH)
    waiting = ask(db, "U0OTHER", "U0ADA")
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT, NOW) is None
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0NOBODY", COHORT, NOW) is None
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0OTHER", COHORT, NOW) == "U0ADA"
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0OTHER", COHORT, NOW) is None
    assert status(db, waiting) is RequestStatus.WITHDRAWN


def test_an_answered_request_cannot_be_withdrawn(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0ADA")
    accept_request(db.unit_of_work(), "T0001", "U0ADA", request_id, NOW)
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", COHORT, NOW) is None
    assert status(db, request_id) is RequestStatus.ACCEPTED


@pytest.mark.parametrize(("team", "slug"), [("T0001", "nowhere"), ("T0001", "a\x00b"), ("T0002", COHORT)])
def test_a_cohort_that_is_not_there_is_refused_and_nothing_changes(
    db: Database, team: str, slug: str
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    seed(db, team_id="T0002", slug="other", U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0ADA")
    with pytest.raises(CohortNotFound):
        withdraw_own_request(db.unit_of_work(), team, "U0LEARN", slug, NOW)
    assert status(db, request_id) is RequestStatus.OPEN


def test_withdrawing_in_one_cohort_leaves_the_request_in_another_waiting(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    seed(db, slug="peers", U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    here = ask(db, "U0LEARN", "U0ADA")
    there = ask(db, "U0LEARN", "U0ADA", slug="peers")
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0LEARN", "peers", NOW) == "U0ADA"
    assert (status(db, here), status(db, there)) == (RequestStatus.OPEN, RequestStatus.WITHDRAWN)
