"""Status knows whether a cohort pairs someone and whether their partnership ended, in a fixed few queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import EndReason, PairingMode, PartnershipKind, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Workspace
from circles.services.people.status import my_status
from tests import factories, relationship_world
from tests.integration.test_planning_scale import counting_statements

NOW = datetime(2027, 1, 6, 18, tzinfo=UTC)
LEARNER = "U0WAIT"


def seeded(db: Database) -> None:
    with db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session)
        uow.commit()


def the_workspace(session: Session) -> Workspace:
    return session.scalars(select(Workspace)).one()


def add_cohorts(db: Database, count: int, start: int = 0) -> None:
    """`count` coaching cohorts where LEARNER waits for a coach, every other one after an ending."""
    with db.unit_of_work() as uow:
        ws = the_workspace(uow.session)
        for n in range(start, start + count):
            co = relationship_world.cohort(uow.session, ws, f"wait{n}", f"Wait {n}")
            learner = factories.member(uow.session, co, LEARNER, flush=False)
            if n % 2:
                coach = factories.member(uow.session, co, f"U0C{n}", Role.COACH, flush=False)
                relationship_world.pair(uow.session, coach, learner, PartnershipStatus.ENDED)
        uow.commit()


def test_a_learner_without_a_coach_is_told_the_cohort_pairs_them_and_whether_one_ended(db: Database) -> None:
    seeded(db)
    add_cohorts(db, 2)
    waiting, ended = my_status(db.unit_of_work(), "T0001", LEARNER, NOW)
    assert (waiting.slug, waiting.pairing, waiting.partnership_ended) == (
        "wait0",
        PairingMode.COACH_LEARNER,
        False,
    )
    assert (ended.slug, ended.pairing, ended.partnership_ended) == ("wait1", PairingMode.COACH_LEARNER, True)
    [former] = my_status(db.unit_of_work(), "T0001", "U0L5", NOW)  # their coach ended it, no new one
    assert former.partnership_ended
    [running] = my_status(db.unit_of_work(), "T0001", "U0L1", NOW)
    assert (running.pairing, running.partnership_ended) == (PairingMode.COACH_LEARNER, False)


def test_a_new_partner_after_an_ending_is_not_an_ending(db: Database) -> None:
    seeded(db)
    with db.unit_of_work() as uow:
        ws = the_workspace(uow.session)
        co = relationship_world.cohort(uow.session, ws, "again", "Again")
        learner = factories.member(uow.session, co, LEARNER)
        first = factories.member(uow.session, co, "U0C1", Role.COACH)
        second = factories.member(uow.session, co, "U0C2", Role.COACH)
        factories.pair(
            uow.session, first, learner, status=PartnershipStatus.ENDED, end_reason=EndReason.REMATCHED
        )
        factories.pair(uow.session, second, learner)
        uow.commit()
    [again] = my_status(db.unit_of_work(), "T0001", LEARNER, NOW)
    assert [p.partner_user_id for p in again.partners] == ["U0C2"]
    assert not again.partnership_ended


def test_circles_only_cohorts_and_cohorts_that_are_over_pair_no_one(db: Database) -> None:
    seeded(db)
    with db.unit_of_work() as uow:
        ws = the_workspace(uow.session)
        circles_only = factories.cohort(uow.session, ws, "circles-only", "Circles only")
        factories.member(uow.session, circles_only, LEARNER, Role.PEER)
        over = relationship_world.cohort(uow.session, ws, "over", "Over")
        over.ends_on = date(2027, 1, 1)
        factories.member(uow.session, over, LEARNER)
        peers = relationship_world.cohort(uow.session, ws, "peers", "Peers")
        peers.pairing_mode = PairingMode.PEER
        factories.member(uow.session, peers, LEARNER, Role.PEER)
        uow.commit()
    found = {s.slug: s.pairing for s in my_status(db.unit_of_work(), "T0001", LEARNER, NOW)}
    assert found == {"circles-only": PairingMode.NONE, "over": PairingMode.NONE, "peers": PairingMode.PEER}


def test_knowing_about_endings_takes_one_query_for_one_cohort_or_many(db: Database) -> None:
    seeded(db)
    add_cohorts(db, 2)
    with counting_statements(db) as few:
        my_status(db.unit_of_work(), "T0001", LEARNER, NOW)
    add_cohorts(db, 10, start=2)
    with counting_statements(db) as many:
        statuses = my_status(db.unit_of_work(), "T0001", LEARNER, NOW)
    assert sum(s.partnership_ended for s in statuses) == 6
    assert len(many) == len(few) <= 6
    with counting_statements(db) as coach:  # everyone partnered: no question about endings
        my_status(db.unit_of_work(), "T0001", relationship_world.COACH, NOW)
    assert len(coach) == len(few) - 1


def test_peer_partners_ended_show_for_either_side(db: Database) -> None:
    seeded(db)
    with db.unit_of_work() as uow:
        ws = the_workspace(uow.session)
        peers = relationship_world.cohort(uow.session, ws, "peers", "Peers")
        peers.pairing_mode = PairingMode.PEER
        one = factories.member(uow.session, peers, LEARNER, Role.PEER)
        other = factories.member(uow.session, peers, "U0PEER", Role.PEER)
        factories.pair(
            uow.session, other, one, kind=PartnershipKind.PEER,
            status=PartnershipStatus.ENDED, end_reason=EndReason.NO_FAULT,
        )  # fmt: skip
        uow.commit()
    for user in (LEARNER, "U0PEER"):
        [peer] = my_status(db.unit_of_work(), "T0001", user, NOW)
        assert (peer.pairing, peer.partnership_ended) == (PairingMode.PEER, True), user
