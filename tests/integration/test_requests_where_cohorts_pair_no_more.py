"""Coach requests and a coach's places where a cohort no longer pairs: an archived cohort takes no request
and its pairs left unended hold no place anywhere; a cohort switched to circles only or to peers offers no
request, accepts none, and closes the one waiting kindly. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import PairingMode, PartnershipKind, PartnershipStatus, Role
from circles.errors import CohortNotFound, NotPairingGuides, RequestLapsed
from circles.messages import RequestClosedBecause, RequestClosedNotice
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest, Cohort, Partnership
from circles.services.partnerships.request_view import RequestView
from circles.services.partnerships.requests import accept_request, decline_request, request_guide
from circles.services.people.directory import directory
from circles.services.people.status import my_status
from tests.factories import NOW
from tests.integration.test_cohort_end_moved_later import moved_to, states
from tests.integration.test_cohort_end_moved_later_coach_full import (
    LEARNERS,
    NEW_END,
    RUNNING,
    coach_taken_elsewhere,
)
from tests.integration.test_directory import ask, pair, partnerships, seed
from tests.integration.test_guide_places import coaches_of, match, seeded
from tests.integration.test_request_closed_notices import told

COHORT = "pgy1-spring"


def archived(db: Database, slug: str = COHORT) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).where(Cohort.slug == slug).values(archived_at=NOW))
        uow.commit()


def paired_as(db: Database, slug: str, mode: PairingMode) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).where(Cohort.slug == slug).values(pairing_mode=mode))
        uow.commit()


def request_status(db: Database, request_id: int) -> RequestStatus:
    with db.reading() as reading:
        return reading.session.get_one(CoachRequest, request_id).status


def test_a_request_waiting_when_its_cohort_is_archived_closes_instead_of_pairing_them(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    archived(db)

    with pytest.raises(RequestLapsed) as lapsed:
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)

    assert not lapsed.value.yours
    assert partnerships(db) == []  # no pair nobody could see, end, or free the coach's place from
    assert request_status(db, request_id) is RequestStatus.WITHDRAWN
    assert told(db) == []  # as for a cohort whose last day is over: nobody waits on it any more
    with pytest.raises(CohortNotFound):  # and nobody asks anyone there again
        ask(db, "U0LEARN", "U0COACH")


def test_pairs_left_unended_in_an_archived_cohort_hold_none_of_the_coachs_places(db: Database) -> None:
    last_year = seed(db, slug="last-year", U0A=Role.LEARNER, U0B=Role.LEARNER, U0COACH=Role.COACH)
    pair(db, last_year, "U0COACH", "U0A", PartnershipStatus.ACTIVE)
    pair(db, last_year, "U0COACH", "U0B", PartnershipStatus.PAUSED)  # room for two: both taken
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    archived(db, "last-year")

    [entry] = directory(db.reading(), "T0001", "U0LEARN", None, now=NOW).entries
    assert (entry.user_id, entry.remaining, entry.full, entry.can_request) == ("U0COACH", 2, False, True)
    request_id = ask(db, "U0LEARN", "U0COACH")  # not GuideFull
    [coach] = my_status(db.unit_of_work(), "T0001", "U0COACH", NOW)
    assert (coach.requests_to_answer, coach.no_room) == (1, False)
    accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)
    assert request_status(db, request_id) is RequestStatus.ACCEPTED


def test_a_round_gives_a_coach_learners_in_the_places_an_archived_cohorts_pairs_left(db: Database) -> None:
    seeded(
        db,
        {
            "cardio": {"U0C1": Role.COACH, "U0A1": Role.LEARNER, "U0A2": Role.LEARNER},
            "surgery": {"U0C1": Role.COACH, "U0B1": Role.LEARNER},
        },
    )
    match(db, "cardio")  # both places taken there
    archived(db, "cardio")  # its pairs left as they were

    plan = match(db, "surgery")

    assert len(plan.plan["pairs"]) == 1
    assert coaches_of(db)["U0B1"] == ["U0C1"]


def test_an_end_moved_later_counts_no_place_taken_by_an_archived_cohorts_pairs(db: Database) -> None:
    pairs = coach_taken_elsewhere(db)  # three learners in PGY-2, of four places
    archived(db, "pgy2")

    saved = moved_to(db, NEW_END)

    assert states(db, pairs) == dict.fromkeys(LEARNERS, RUNNING)  # the coach has room for all three
    assert saved.kept_completed == ()


@pytest.mark.parametrize("mode", [PairingMode.NONE, PairingMode.PEER])
def test_a_cohort_that_no_longer_pairs_learners_with_coaches_offers_and_takes_no_request(
    db: Database, mode: PairingMode
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    seed(db, slug="elsewhere", U0LEARN=Role.LEARNER, U0ADA=Role.COACH)  # pairs them still
    paired_as(db, COHORT, mode)

    entries = directory(db.reading(), "T0001", "U0LEARN", None, now=NOW).entries
    assert [(e.cohort_slug, e.user_id, e.can_request) for e in entries] == [("elsewhere", "U0ADA", True)]
    with pytest.raises(NotPairingGuides):  # a button from a list shown before the change
        request_guide(db.unit_of_work(), "T0001", "U0LEARN", COHORT, "U0COACH", NOW)
    with db.reading() as reading:
        assert reading.session.scalars(select(CoachRequest)).all() == []


@pytest.mark.parametrize("answer", [accept_request, decline_request])
def test_a_request_waiting_when_the_cohort_stops_pairing_coaches_closes_and_the_learner_is_told(
    db: Database, answer: Callable[..., RequestView]
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    paired_as(db, COHORT, PairingMode.NONE)

    with pytest.raises(RequestLapsed) as lapsed:
        answer(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW + timedelta(hours=1))

    assert (lapsed.value.yours, lapsed.value.unpaired) == (False, True)
    with db.reading() as reading:
        assert reading.session.scalars(select(Partnership)).all() == []
    assert request_status(db, request_id) is RequestStatus.WITHDRAWN
    assert [(to, notice) for to, _, notice in told(db)] == [
        ("U0LEARN", RequestClosedNotice(COHORT.upper(), "U0COACH", RequestClosedBecause.GUIDE_GONE))
    ]  # never the coach's answer


def test_a_cohort_pairing_learners_with_coaches_again_takes_requests_again(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    paired_as(db, COHORT, PairingMode.PEER)
    paired_as(db, COHORT, PairingMode.COACH_LEARNER)  # the requests it refused meanwhile were never kept

    request_id = ask(db, "U0LEARN", "U0COACH")
    accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)

    assert [kind for _, _, kind in partnerships(db)] == [PartnershipKind.COACH_LEARNER]
