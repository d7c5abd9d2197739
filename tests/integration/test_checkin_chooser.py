"""`/circles checkin` with several partnerships offers a choice that opens no check-in: only the pair
pressed gets one, so a pair nobody chose is never asked, never counted as missing a check-in, never
named in a digest as waiting for an answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import EndReason, PartnershipHealthState, PartnershipStatus, Role
from circles.errors import CheckInClosed, CheckInNotYours, CheckInsWaitForPair
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Partnership
from circles.services.checkins.answers import OpenCheckIn, answer
from circles.services.checkins.opening import CheckInChoice, checkin_or_choice, start_checkin
from circles.services.health.boards import board
from circles.services.nudges.digests import digest_now
from tests import factories
from tests.databases import postgres
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

NOW = factories.NOW
START = NOW - timedelta(days=21)
ASKED = NOW - timedelta(days=6)  # between two scheduled check-ins


def ada_coaches_lee_and_kim(db: Database) -> dict[str, int]:
    """Ada coaches Lee and Kim; every scheduled check-in so far answered, well, by everyone. Elsewhere in
    the workspace Sam coaches Bo; another workspace has its own pair. Each pair's id, by learner."""
    with db.unit_of_work() as uow:
        s = uow.session
        ws = factories.workspace(s)
        co = factories.cohort(s, ws, at=START)
        factories.facilitator(s, co, "U0FAY")
        ada = factories.member(s, co, "U0ADA", Role.COACH, at=START)
        sam = factories.member(s, co, "U0SAM", Role.COACH, at=START)
        pairs = {}
        for guide, user in ((ada, "U0LEE"), (ada, "U0KIM"), (sam, "U0BO")):
            pair = factories.pair(s, guide, factories.member(s, co, user, at=START), started_at=START)
            pairs[user] = pair.id
            for days in (14, 7):
                s.add(factories.checkin(pair, pair.first_member_id, NOW - timedelta(days=days), 4))
                s.add(factories.checkin(pair, pair.second_member_id, NOW - timedelta(days=days), 4))
        far = factories.cohort(s, factories.workspace(s, "T0002"), "far", "Far")
        far_ada = factories.member(s, far, "U0ADA", Role.COACH)
        pairs["far"] = factories.pair(s, far_ada, factories.member(s, far, "U0FAR")).id
        uow.commit()
        return pairs


def checkins(db: Database) -> list[tuple[int, int, bool]]:
    """Every check-in: its pair, when it was due (in days from NOW), and whether it is answered."""
    with db.reading() as reading:
        rows = reading.session.scalars(select(CheckIn).order_by(CheckIn.partnership_id, CheckIn.due_at))
        return [(row.partnership_id, (row.due_at - NOW).days, row.answered_at is not None) for row in rows]


def choice(db: Database, at: timedelta = timedelta()) -> dict[str, CheckInChoice]:
    found = checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", ASKED + at)
    assert isinstance(found, list), found
    return {c.partner_user_id: c for c in found}


def start(db: Database, pair_id: int, user: str = "U0ADA", at: timedelta = timedelta()) -> OpenCheckIn:
    return start_checkin(db.unit_of_work(), "T0001", user, pair_id, ASKED + at)


def test_the_choice_opens_no_check_in_and_offers_the_one_waiting_as_it_is(db: Database) -> None:
    pairs = ada_coaches_lee_and_kim(db)
    with db.unit_of_work() as uow:  # Lee's pair has a check-in of Ada's waiting for her answer
        lee = uow.session.get_one(Partnership, pairs["U0LEE"])
        waiting = factories.checkin(lee, lee.first_member_id, ASKED - timedelta(hours=1))
        uow.session.add(waiting)
        uow.commit()
        waiting_id = waiting.id
    before = checkins(db)

    offered = choice(db)

    assert offered == {
        "U0LEE": CheckInChoice(pairs["U0LEE"], waiting_id, "PGY-1 spring", "U0LEE"),
        "U0KIM": CheckInChoice(pairs["U0KIM"], None, "PGY-1 spring", "U0KIM"),
    }
    assert checkins(db) == before


def test_starting_a_check_in_from_the_choice_opens_one_for_that_pair_only_and_again_the_same(
    db: Database,
) -> None:
    pairs = ada_coaches_lee_and_kim(db)
    before = checkins(db)

    opened = start(db, pairs["U0KIM"])
    again = start(db, pairs["U0KIM"], at=timedelta(minutes=1))  # pressed twice: the same one

    assert (opened.partner_user_id, opened.cohort_name) == ("U0KIM", "PGY-1 spring")
    assert again.checkin_id == opened.checkin_id
    [new] = [row for row in checkins(db) if row not in before]
    assert new == (pairs["U0KIM"], -6, False)
    with db.reading() as reading:
        stored = reading.session.get_one(CheckIn, opened.checkin_id)
        assert (stored.partnership_id, stored.due_at) == (pairs["U0KIM"], ASKED)


def test_one_partnership_still_opens_its_check_in_at_once(db: Database) -> None:
    pairs = ada_coaches_lee_and_kim(db)
    found = checkin_or_choice(db.unit_of_work(), "T0001", "U0SAM", ASKED)
    assert isinstance(found, OpenCheckIn), found
    assert found.partner_user_id == "U0BO"
    assert (pairs["U0BO"], -6, False) in checkins(db)


def test_a_partnership_not_the_pressers_or_no_longer_running_is_refused_and_opens_nothing(
    db: Database,
) -> None:
    pairs = ada_coaches_lee_and_kim(db)
    before = checkins(db)
    for pair_id in (pairs["U0BO"], pairs["far"], 999_999):  # Sam's pair, another workspace's, none
        with pytest.raises(CheckInNotYours):
            start(db, pair_id)
    with pytest.raises(CheckInNotYours):
        start(db, pairs["U0KIM"], user="U0BO")  # a pair's id pressed by someone not in it
    with db.unit_of_work() as uow:
        kim = uow.session.get_one(Partnership, pairs["U0KIM"])
        kim.status, kim.end_reason, kim.ended_at = PartnershipStatus.ENDED, EndReason.NO_FAULT, ASKED
        uow.session.get_one(Partnership, pairs["U0LEE"]).status = PartnershipStatus.PAUSED
        uow.commit()
    with pytest.raises(CheckInClosed):
        start(db, pairs["U0KIM"])
    with pytest.raises(CheckInsWaitForPair):  # paused: its check-ins wait until it resumes
        start(db, pairs["U0LEE"])
    assert checkins(db) == before


def test_checking_in_about_lee_from_the_choice_leaves_kims_pair_as_healthy_and_unmentioned(
    db: Database,
) -> None:
    """The audit's case: Ada tells about a good session with Lee between two scheduled check-ins."""
    pairs = ada_coaches_lee_and_kim(db)
    offered = choice(db)
    lee = start(db, offered["U0LEE"].partnership_id)
    answer(
        db.unit_of_work(),
        "T0001",
        "U0ADA",
        lee.checkin_id,
        CheckInAnswer(rating=5, met=True),
        ASKED + timedelta(minutes=2),
        cipher=None,
    )
    digest = digest_now(db.unit_of_work(), "T0001", "U0ADA", ASKED + timedelta(days=2))
    assert [n.partner_user_id for s in digest for n in s.nudges if n.kind.value == "checkin_waiting"] == []

    with db.unit_of_work() as uow:  # this week's scheduled check-ins: the learners answer, Ada is busy
        for learner in ("U0LEE", "U0KIM"):
            pair = uow.session.get_one(Partnership, pairs[learner])
            uow.session.add(factories.checkin(pair, pair.first_member_id, NOW))
            uow.session.add(factories.checkin(pair, pair.second_member_id, NOW, 4))
        uow.commit()
    rows = board(db.unit_of_work(), "T0001", "U0FAY", "pgy1-spring", NOW + timedelta(days=4)).rows
    health = {row.second_user_id: (row.state, row.reasons) for row in rows}
    assert health["U0KIM"] == health["U0LEE"]  # Ada treated both alike: neither missed a check-in
    assert health["U0KIM"][0] is PartnershipHealthState.STEADY


@pytest.mark.postgres
def test_a_choice_pressed_twice_at_once_opens_one_check_in(postgres: Database) -> None:
    pairs = ada_coaches_lee_and_kim(postgres)
    again = timedelta(milliseconds=300)
    held = CommitAfter(
        postgres,
        lambda: start_checkin(postgres.unit_of_work(), "T0001", "U0ADA", pairs["U0KIM"], ASKED + again),
    )

    first = start_checkin(held, "T0001", "U0ADA", pairs["U0KIM"], ASKED)

    [second] = held.outcome
    assert isinstance(second, OpenCheckIn), second
    assert second.checkin_id == first.checkin_id
    unanswered = [row for row in checkins(postgres) if not row[2]]
    assert unanswered == [(pairs["U0KIM"], -6, False)]
