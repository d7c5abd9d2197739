"""Status says what waits for an answer: the request a learner made of a coach, and how many requests a coach
can answer now, in the same statements whatever the number of requests and cohorts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus, PairingMode, PartnershipStatus, Role
from circles.errors import GuideFull, RequestClosed
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest, Cohort, Member
from circles.queries.coach_requests import open_requests
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.partnerships.request_withdrawal import withdraw_own_request
from circles.services.partnerships.requests import accept_request, decline_request
from circles.services.people.status import my_status
from tests import factories
from tests.databases import counted
from tests.factories import NOW
from tests.integration.test_directory import ask, pair, seed

COHORT = "pgy1-spring"


def the_one(db: Database, user: str) -> object:
    [status] = my_status(db.unit_of_work(), "T0001", user, NOW)
    return status


def test_a_learner_sees_whom_they_asked_and_the_coach_how_many_wait(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    ask(db, "U0LEARN", "U0ADA")
    ask(db, "U0OTHER", "U0ADA")

    [learner] = my_status(db.unit_of_work(), "T0001", "U0LEARN", NOW)
    assert learner.asked is not None
    assert (learner.asked.guide_user_id, learner.asked.asked_at) == ("U0ADA", NOW)
    assert learner.requests_to_answer == 0
    [ada] = my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)
    assert (ada.asked, ada.requests_to_answer) == (None, 2)
    [bob] = my_status(db.unit_of_work(), "T0001", "U0BOB", NOW)
    assert (bob.asked, bob.requests_to_answer) == (None, 0)


def test_answered_or_withdrawn_requests_wait_no_more(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0THIRD=Role.LEARNER, U0ADA=Role.COACH)
    accepted = ask(db, "U0LEARN", "U0ADA")
    declined = ask(db, "U0OTHER", "U0ADA")
    ask(db, "U0THIRD", "U0ADA")
    accept_request(db.unit_of_work(), "T0001", "U0ADA", accepted, NOW)
    decline_request(db.unit_of_work(), "T0001", "U0ADA", declined, NOW)
    assert withdraw_own_request(db.unit_of_work(), "T0001", "U0THIRD", COHORT, NOW) == "U0ADA"

    for learner in ("U0LEARN", "U0OTHER", "U0THIRD"):
        [status] = my_status(db.unit_of_work(), "T0001", learner, NOW)
        assert status.asked is None, learner
    [ada] = my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)
    assert ada.requests_to_answer == 0
    assert [p.partner_user_id for p in ada.partners] == ["U0LEARN"]


def test_a_paused_learners_request_is_not_counted_for_the_coach_nor_shown_to_them(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    ask(db, "U0LEARN", "U0ADA")
    with db.unit_of_work() as uow:
        member = uow.session.get_one(Member, ids.members["U0LEARN"])
        member.status, member.paused_until = MemberStatus.PAUSED, NOW + timedelta(days=14)
        uow.commit()
    [ada] = my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)
    assert ada.requests_to_answer == 0
    [learner] = my_status(db.unit_of_work(), "T0001", "U0LEARN", NOW)
    assert learner.asked is None  # paused: their status says so, and nobody is looked for meanwhile
    [back] = my_status(db.unit_of_work(), "T0001", "U0ADA", NOW + timedelta(days=15))
    assert back.requests_to_answer == 1  # the pause ran out: the request counts again


def test_a_coach_with_learners_still_sees_new_requests_and_each_cohort_its_own(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0ADA=Role.COACH)
    seed(db, slug="peers", U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    pair(db, ids, "U0ADA", "U0OTHER", PartnershipStatus.ACTIVE)
    ask(db, "U0LEARN", "U0ADA")
    ask(db, "U0LEARN", "U0ADA", slug="peers")
    found = {s.slug: s for s in my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)}
    assert {slug: s.requests_to_answer for slug, s in found.items()} == {COHORT: 1, "peers": 1}
    assert len(found[COHORT].partners) == 1
    learner = {s.slug: s.asked for s in my_status(db.unit_of_work(), "T0001", "U0LEARN", NOW)}
    assert {slug: asked.guide_user_id if asked else None for slug, asked in learner.items()} == {
        COHORT: "U0ADA",
        "peers": "U0ADA",
    }


def test_many_requests_and_cohorts_take_the_statements_of_one(db: Database) -> None:
    seed(db, U0L0=Role.LEARNER, U0ADA=Role.COACH)
    ask(db, "U0L0", "U0ADA")
    with counted(db) as few:
        my_status(db.reading(), "T0001", "U0ADA", NOW)
    for n in range(1, 6):
        learners = {f"U0L{n}{k}": Role.LEARNER for k in range(4)}
        seed(db, slug=f"more-{n}", U0ADA=Role.COACH, **learners)
        for learner in learners:
            ask(db, learner, "U0ADA", slug=f"more-{n}")
    with counted(db) as many:
        statuses = my_status(db.reading(), "T0001", "U0ADA", NOW)
    assert sum(s.requests_to_answer for s in statuses) == 21
    assert len([s for s in many if not s.startswith("PRAGMA")]) == len(
        [s for s in few if not s.startswith("PRAGMA")]
    )


def test_a_round_that_gives_a_learner_a_coach_closes_their_request_and_no_other(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0OTHER=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    seed(db, slug="elsewhere", U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort).where(Cohort.slug == COHORT)).one()
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, "U0FAC")
        uow.commit()
    here = ask(db, "U0LEARN", "U0ADA")
    there = ask(db, "U0LEARN", "U0ADA", slug="elsewhere")

    plan = preview_round(db.unit_of_work(), "T0001", COHORT, user_id="U0FAC", is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id="U0FAC", is_admin=False, now=NOW)

    with db.unit_of_work() as uow:
        found = {r.id: r.status for r in uow.session.scalars(select(CoachRequest))}
    assert found == {here: RequestStatus.WITHDRAWN, there: RequestStatus.OPEN}
    ada = {s.slug: s.requests_to_answer for s in my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)}
    assert ada == {COHORT: 0, "elsewhere": 1}
    with pytest.raises(RequestClosed):  # what U0ADA still has in their DM is closed
        accept_request(db.unit_of_work(), "T0001", "U0ADA", here, NOW)


def test_a_request_left_open_by_a_learner_who_has_a_coach_now_is_not_counted(db: Database) -> None:
    # Rounds before this release left such requests open; a coach could still be asked to answer them.
    ids = seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    ask(db, "U0LEARN", "U0ADA")
    pair(db, ids, "U0BOB", "U0LEARN", PartnershipStatus.PAUSED)
    [ada] = my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)
    assert ada.requests_to_answer == 0
    with db.reading() as reading:
        assert open_requests(reading.session, [ids.members["U0ADA"]], NOW) == {}  # what the digest counts


def test_a_request_in_a_cohort_that_is_over_is_not_shown_as_waiting(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    ask(db, "U0LEARN", "U0ADA")
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort)).one().ends_on = NOW.date()
        uow.commit()
    [learner] = my_status(db.unit_of_work(), "T0001", "U0LEARN", NOW + timedelta(days=2))
    assert learner.asked is None  # accepting it would be refused: nobody is looked for there any more


def test_a_coach_whose_places_are_taken_in_any_cohort_is_told_accepting_needs_more_room(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0A=Role.LEARNER, U0GONE=Role.LEARNER, U0ADA=Role.COACH)
    there = seed(db, slug="elsewhere", U0B=Role.LEARNER, U0ADA=Role.COACH)  # room for two, in all cohorts
    ask(db, "U0LEARN", "U0ADA")
    pair(db, ids, "U0ADA", "U0A", PartnershipStatus.ACTIVE)
    pair(db, ids, "U0ADA", "U0GONE", PartnershipStatus.ENDED)  # an ended pair holds no place
    ada = {s.slug: s for s in my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)}[COHORT]
    assert (ada.requests_to_answer, ada.no_room) == (1, False)

    pair(db, there, "U0ADA", "U0B", PartnershipStatus.PAUSED)  # a paused pair elsewhere still holds one
    statuses = {s.slug: s for s in my_status(db.unit_of_work(), "T0001", "U0ADA", NOW)}
    assert (statuses[COHORT].requests_to_answer, statuses[COHORT].no_room) == (1, True)
    assert statuses["elsewhere"].no_room is False  # nothing waits there: nothing to say
    with pytest.raises(GuideFull):  # what the line says is what accepting finds
        accept_request(db.unit_of_work(), "T0001", "U0ADA", ask_id(db), NOW)


def ask_id(db: Database) -> int:
    with db.reading() as reading:
        return reading.session.scalars(select(CoachRequest.id)).one()
