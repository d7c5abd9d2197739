"""`/circles checkin` (and a pair pressed in its choice, and a workflow's ask) opens no check-in for a pair
on hold, as the planner sends none: while the person paused themselves or is away, while their partner is
paused or away (their own `/circles away`, a rotation or leave), or while the pair is paused. A check-in
opened then would wait, then count as answered or missed in the pair's health while one of them said they
are not there, and the coach's digest would press for it. A dated pause that ran out holds nothing any
more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.views.errors import friendly_message
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.errors import (
    CheckInsWaitForPair,
    CheckInsWaitForPartner,
    CheckInsWaitForYou,
    NoActivePartnership,
)
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Member, Partnership
from circles.services.availability.away import go_away
from circles.services.checkins.answers import OpenCheckIn
from circles.services.checkins.opening import CheckInChoice, checkin_or_choice, start_checkin
from circles.services.nudges.digests import digest_now
from circles.services.people.membership import pause
from circles.services.workflows.steps import ask_for_checkin
from tests import factories

NOW = factories.NOW
START = NOW - timedelta(days=21)


def ada_coaches(db: Database, *learners: str) -> dict[str, int]:
    """Ada coaches these learners in one cohort; each pair's id, by learner."""
    with db.unit_of_work() as uow:
        s = uow.session
        co = factories.cohort(s, factories.workspace(s), at=START)
        ada = factories.member(s, co, "U0ADA", Role.COACH, at=START)
        pairs = {
            user: factories.pair(s, ada, factories.member(s, co, user, at=START), started_at=START).id
            for user in learners
        }
        uow.commit()
        return pairs


def opened(db: Database) -> list[int]:
    """The pairs a check-in was opened for."""
    with db.reading() as reading:
        return list(reading.session.scalars(select(CheckIn.partnership_id).order_by(CheckIn.id)))


def test_a_paused_member_asking_for_their_check_in_is_told_it_waits_for_them_and_nothing_is_opened(
    db: Database,
) -> None:
    ada_coaches(db, "U0LEE")
    pause(db.unit_of_work(), "T0001", "U0LEE", None, NOW - timedelta(days=1))

    with pytest.raises(CheckInsWaitForYou):  # before: the form opened, and the check-in counted
        checkin_or_choice(db.unit_of_work(), "T0001", "U0LEE", NOW)

    assert opened(db) == []


def test_a_member_whose_partner_is_paused_is_told_the_check_in_waits_and_nothing_is_opened(
    db: Database,
) -> None:
    ada_coaches(db, "U0LEE")
    pause(db.unit_of_work(), "T0001", "U0LEE", 3, NOW - timedelta(days=1))

    with pytest.raises(CheckInsWaitForPartner) as raised:
        checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", NOW)

    assert raised.value.several is False
    assert opened(db) == []


def test_a_paused_partnership_is_named_as_paused_rather_than_as_no_partnership(db: Database) -> None:
    pairs = ada_coaches(db, "U0LEE")
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, pairs["U0LEE"]).status = PartnershipStatus.PAUSED
        uow.commit()

    with pytest.raises(CheckInsWaitForPair):  # before: "You have no active partnership right now"
        checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", NOW)

    assert opened(db) == []


def test_a_dated_pause_that_ran_out_holds_no_check_in_any_more(db: Database) -> None:
    pairs = ada_coaches(db, "U0LEE")
    pause(db.unit_of_work(), "T0001", "U0LEE", 1, NOW - timedelta(days=8))

    found = checkin_or_choice(db.unit_of_work(), "T0001", "U0LEE", NOW)

    assert isinstance(found, OpenCheckIn)
    assert found.partner_user_id == "U0ADA"
    assert opened(db) == [pairs["U0LEE"]]


def test_a_coach_with_one_learner_paused_gets_the_other_learners_check_in_without_a_choice(
    db: Database,
) -> None:
    pairs = ada_coaches(db, "U0LEE", "U0KIM")
    pause(db.unit_of_work(), "T0001", "U0KIM", None, NOW - timedelta(days=1))

    found = checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", NOW)

    assert isinstance(found, OpenCheckIn)  # before: a choice offering Kim's pair too
    assert found.partner_user_id == "U0LEE"
    assert opened(db) == [pairs["U0LEE"]]


def test_a_coach_whose_learners_are_all_paused_hears_that_the_check_ins_wait_for_them(db: Database) -> None:
    ada_coaches(db, "U0LEE", "U0KIM")
    for learner in ("U0LEE", "U0KIM"):
        pause(db.unit_of_work(), "T0001", learner, None, NOW - timedelta(days=1))

    with pytest.raises(CheckInsWaitForPartner) as raised:
        checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", NOW)

    assert raised.value.several is True
    assert opened(db) == []


def test_a_pair_pressed_in_the_choice_after_a_pause_opens_nothing_for_either_partner(db: Database) -> None:
    pairs = ada_coaches(db, "U0LEE", "U0KIM")
    pause(db.unit_of_work(), "T0001", "U0LEE", None, NOW - timedelta(days=1))  # after Ada saw the choice

    with pytest.raises(CheckInsWaitForPartner):
        start_checkin(db.unit_of_work(), "T0001", "U0ADA", pairs["U0LEE"], NOW)
    with pytest.raises(CheckInsWaitForYou):  # Lee's own button, from a choice shown before her pause
        start_checkin(db.unit_of_work(), "T0001", "U0LEE", pairs["U0LEE"], NOW)

    assert opened(db) == []


def test_a_workflow_asking_a_paused_member_for_their_check_ins_sends_none(db: Database) -> None:
    ada_coaches(db, "U0LEE")
    pause(db.unit_of_work(), "T0001", "U0LEE", None, NOW - timedelta(days=1))

    with pytest.raises(NoActivePartnership):  # the workflow's builder reads "no running partnership"
        ask_for_checkin(db.unit_of_work(), "T0001", "U0LEE", NOW, key="run-1")

    assert opened(db) == []


def away(db: Database, user: str) -> None:
    """The person says `/circles away 2 weeks`, an hour before NOW."""
    go_away(db.unit_of_work(), "T0001", user, AwayRequest(weeks=2), NOW - timedelta(hours=1))


def test_a_coachs_choice_offers_no_pair_whose_learner_is_away(db: Database) -> None:
    ada_coaches(db, "U0LEE", "U0KIM", "U0BO")
    away(db, "U0KIM")

    found = checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", NOW)

    assert isinstance(found, list)
    assert {c.partner_user_id for c in found if isinstance(c, CheckInChoice)} == {"U0LEE", "U0BO"}
    assert opened(db) == []


def test_a_pair_pressed_after_its_learner_went_away_is_refused_with_the_waiting_words(db: Database) -> None:
    pairs = ada_coaches(db, "U0LEE", "U0KIM")
    away(db, "U0LEE")  # after Ada saw the choice

    with pytest.raises(CheckInsWaitForPartner) as raised:
        start_checkin(db.unit_of_work(), "T0001", "U0ADA", pairs["U0LEE"], NOW)

    assert friendly_message(raised.value).startswith("Check-ins wait until your partner is back")
    assert opened(db) == []


def test_a_coach_whose_only_learner_is_away_opens_nothing_and_hears_it_waits(db: Database) -> None:
    ada_coaches(db, "U0LEE")
    away(db, "U0LEE")

    with pytest.raises(CheckInsWaitForPartner) as raised:  # before: opened straight away
        checkin_or_choice(db.unit_of_work(), "T0001", "U0ADA", NOW)

    assert raised.value.several is False
    assert opened(db) == []


def test_a_member_away_themselves_is_told_their_check_ins_wait_and_how_to_say_they_are_back(
    db: Database,
) -> None:
    ada_coaches(db, "U0LEE")
    away(db, "U0LEE")

    with pytest.raises(CheckInsWaitForYou) as raised:  # as the planner: neither partner is asked
        checkin_or_choice(db.unit_of_work(), "T0001", "U0LEE", NOW)

    assert raised.value.away is True
    assert "`/circles back`" in friendly_message(raised.value)
    assert opened(db) == []


def test_a_coachs_digest_does_not_press_for_a_check_in_about_a_learner_who_is_away(db: Database) -> None:
    pairs = ada_coaches(db, "U0LEE", "U0KIM")
    with db.unit_of_work() as uow:  # Ada's check-in on each pair, asked three days ago, unanswered
        ada = uow.session.scalars(select(Member.id).where(Member.slack_user_id == "U0ADA")).one()
        for pair_id in pairs.values():
            pair = uow.session.get_one(Partnership, pair_id)
            uow.session.add(factories.checkin(pair, ada, NOW - timedelta(days=3)))
        uow.commit()
    away(db, "U0LEE")

    digest = digest_now(db.unit_of_work(), "T0001", "U0ADA", NOW)

    waiting = [n.partner_user_id for s in digest for n in s.nudges if n.kind.value == "checkin_waiting"]
    assert waiting == ["U0KIM"]  # before: Lee's too, while Lee is on leave
