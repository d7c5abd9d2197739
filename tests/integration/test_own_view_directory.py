"""The directory and coach requests of a cohort whose end date has passed, or of someone paused, on real
databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus, PairingMode, PartnershipStatus, Role
from circles.errors import CohortOver, RequestClosed
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest, Cohort, Member, Partnership, Workspace
from circles.services.partnerships.requests import accept_request, request_guide
from circles.services.people.directory import directory
from tests import factories

# The cohort's last day is Sunday 1 November 2026 in Chicago: over there from 06:00 UTC on the 2nd.
LAST_DAY = date(2026, 11, 1)
ON_THE_LAST_DAY = factories.NOW - timedelta(hours=4)  # 23:00 on the 1st in Chicago
AFTER = factories.NOW  # 03:00 on the 2nd in Chicago


def ended_cohort(db: Database) -> None:
    """A learner without a coach and a coach with room, in a cohort whose last day is LAST_DAY."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        cohort.timezone, cohort.ends_on = "America/Chicago", LAST_DAY
        cohort.pairing_mode = PairingMode.COACH_LEARNER  # its learners may ask its coaches
        factories.member(uow.session, cohort, "U0LEARN")
        factories.member(uow.session, cohort, "U0COACH", Role.COACH)
        factories.profile(uow.session, ws, "U0COACH").capacity = 3
        uow.commit()


def test_once_the_cohort_has_ended_its_coaches_are_listed_but_take_no_requests(db: Database) -> None:
    ended_cohort(db)
    [during] = directory(db.reading(), "T0001", "U0LEARN", None, now=ON_THE_LAST_DAY).entries
    assert during.can_request
    [after] = directory(db.reading(), "T0001", "U0LEARN", None, now=AFTER).entries
    assert (after.user_id, after.can_request) == ("U0COACH", False)
    with pytest.raises(CohortOver):  # a button from before the end, pressed after it
        request_guide(db.unit_of_work(), "T0001", "U0LEARN", "pgy1", "U0COACH", AFTER)
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(CoachRequest)).all() == []


def test_a_request_still_open_when_the_cohort_ends_is_withdrawn_instead_of_accepted(db: Database) -> None:
    ended_cohort(db)
    asked = request_guide(db.unit_of_work(), "T0001", "U0LEARN", "pgy1", "U0COACH", ON_THE_LAST_DAY)
    with pytest.raises(RequestClosed):
        accept_request(db.unit_of_work(), "T0001", "U0COACH", asked.request_id, AFTER)
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(Partnership)).all() == []
        assert uow.session.get_one(CoachRequest, asked.request_id).status is RequestStatus.WITHDRAWN
        assert uow.session.scalars(select(Cohort.ends_on)).one() == LAST_DAY


def learner_is(db: Database, status: MemberStatus) -> None:
    with db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        learner.status = status
        uow.commit()


def test_someone_paused_everywhere_still_finds_their_cohorts_coaches_and_asks_once_back(db: Database) -> None:
    ended_cohort(db)
    learner_is(db, MemberStatus.PAUSED)
    [entry] = directory(db.reading(), "T0001", "U0LEARN", None, now=ON_THE_LAST_DAY).entries
    assert (entry.user_id, entry.can_request) == ("U0COACH", False)  # asking waits until they resume
    learner_is(db, MemberStatus.ACTIVE)
    [entry] = directory(db.reading(), "T0001", "U0LEARN", None, now=ON_THE_LAST_DAY).entries
    assert entry.can_request


def test_a_learner_with_a_coach_is_offered_no_other_in_that_cohort_but_still_in_another(db: Database) -> None:
    ended_cohort(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        learner, coach = (
            uow.session.scalars(select(Member).where(Member.slack_user_id == user)).one()
            for user in ("U0LEARN", "U0COACH")
        )
        factories.member(uow.session, cohort, "U0MENTOR", Role.MENTOR)
        factories.pair(uow.session, coach, learner, status=PartnershipStatus.PAUSED)  # paused pairs come back
        other = factories.cohort(
            uow.session, uow.session.get_one(Workspace, cohort.workspace_id), "pgy2", "PGY-2"
        )
        other.pairing_mode = PairingMode.COACH_LEARNER
        factories.member(uow.session, other, "U0LEARN")
        factories.member(uow.session, other, "U0OTHER", Role.COACH)
        uow.commit()
    entries = directory(db.reading(), "T0001", "U0LEARN", None, now=ON_THE_LAST_DAY).entries
    assert sorted((e.cohort_slug, e.user_id, e.can_request) for e in entries) == [
        ("pgy1", "U0COACH", False),
        ("pgy1", "U0MENTOR", False),
        ("pgy2", "U0OTHER", True),
    ]


def test_a_facilitator_in_no_cohort_of_their_own_sees_the_coaches_of_the_cohorts_they_run(
    db: Database,
) -> None:
    ended_cohort(db)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0FAC")
        uow.commit()
    [entry] = directory(db.reading(), "T0001", "U0FAC", None, now=ON_THE_LAST_DAY).entries
    assert (entry.user_id, entry.can_request) == ("U0COACH", False)
