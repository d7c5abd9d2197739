"""A facilitator who said "I'll reach out" and then goes away for weeks (their own `/circles away`, or a
rotation or leave the programme imported): the alert does not stay "reaching out" with nobody reaching out.
When the absence begins it is open again, before the facilitators present, or the admins when none is, and
every copy already sent is redrawn as it now stands. A short absence keeps the claim; partners hear
nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, select

from circles.domain.availability import AbsenceKind
from circles.domain.availability.going_away import AwayRequest
from circles.domain.rotations import Block
from circles.domain.vocabulary import EscalationStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Facilitator
from circles.services.availability.away import go_away
from circles.services.availability.rotations import import_rotations, rotation_cohort
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests import factories
from tests.databases import raced
from tests.escalation_world import REASON, World

AWAY, PRESENT, ADMIN = "U0FAC1", "U0FAC2", "U0ADMIN"
MEMBERS = ("U0COACH", "U0LEARN", "U0OTHER")
CLAIMED, GONE = w.at(0, 1), w.at(0, 2)


@pytest.fixture
def claimed(db: Database, world: World, escalation_id: int) -> int:
    """The alert, claimed an hour after it went out by a facilitator who also coaches in the cohort (so
    `/circles away` is theirs to say, and the programme's rota names them)."""
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        factories.member(uow.session, cohort, AWAY, Role.COACH)
        uow.commit()
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", AWAY, escalation_id, False, CLAIMED))
    return escalation_id


def follow_up(db: Database, at: datetime) -> None:
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, at, [ADMIN], decrypt=w.unseal)
        uow.commit()


def standing(db: Database, escalation_id: int) -> tuple[EscalationStatus, str | None]:
    with db.reading() as unit:
        escalation = unit.session.get_one(Escalation, escalation_id)
        return escalation.status, escalation.claimed_by


def sent_since(db: Database, at: datetime) -> list[tuple[str, str, str]]:
    """(channel, method, as it will read) of every row recorded from `at` on."""
    with db.reading() as unit:
        rows = [row for row in w.outbox(unit.session) if row.created_at.replace(tzinfo=at.tzinfo) >= at]
        return [(row.channel or "", row.method, w.rendered(row)) for row in rows]


def actions(db: Database) -> list[str]:
    with db.reading() as unit:
        return list(unit.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def test_a_claim_is_handed_back_when_its_facilitator_goes_away_for_weeks(db: Database, claimed: int) -> None:
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(weeks=3), GONE)
    follow_up(db, GONE)  # the next pass

    assert standing(db, claimed) == (EscalationStatus.OPEN, None)
    sent = sent_since(db, GONE)
    asked = [text for channel, method, text in sent if method == "chat.postMessage"]
    assert [channel for channel, method, _ in sent if method == "chat.postMessage"] == [PRESENT]
    [shown] = asked
    assert "open again" in shown.lower()
    assert REASON in shown
    assert "is reaching out" not in shown
    # Every copy already sent, the one in the away facilitator's DM too, is redrawn as it now stands.
    redrawn = {channel: text for channel, method, text in sent if method == "chat.update"}
    assert set(redrawn) == {f"D0{AWAY}", f"D0{PRESENT}"}
    assert all("is reaching out" not in text for text in redrawn.values())
    assert not any(channel in MEMBERS for channel, _, _ in sent)  # partners learn nothing of it
    assert actions(db)[-1] == "released"

    follow_up(db, GONE)  # another pass, or a second worker: nothing more
    assert len(sent_since(db, GONE)) == len(sent)


def test_then_it_is_followed_up_like_any_alert_nobody_has(db: Database, world: World, claimed: int) -> None:
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(weeks=3), GONE)
    for days in (2, 4, 8, 15, 20):  # the pair worse at each look, nobody picking it up
        with db.unit_of_work() as uow:
            worse = w.struggling(world.partnership_id, REASON, "missed 2 check-ins")
            open_escalations(uow.session, [worse], w.at(days), decrypt=w.unseal)
            follow_up_unclaimed(uow.session, w.at(days), [ADMIN], decrypt=w.unseal)
            uow.commit()
    assert actions(db)[-3:] == ["released", "reminded", "sent_to_admins"]
    to = [channel for channel, method, _ in sent_since(db, w.at(2)) if method == "chat.postMessage"]
    assert to == [PRESENT, PRESENT, ADMIN]  # open again (the first pass), reminded, then the admins


def test_a_claim_said_while_away_is_kept(db: Database, claimed: int) -> None:
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(weeks=3), GONE)
    follow_up(db, GONE)
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", AWAY, claimed, False, w.at(0, 3)))
    follow_up(db, w.at(1))
    assert standing(db, claimed) == (EscalationStatus.CLAIMED, AWAY)


def test_a_short_absence_keeps_the_claim(db: Database, claimed: int) -> None:
    # Back tomorrow (local midnight starting 2026-11-03, under two days away): theirs still.
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(until=date(2026, 11, 3)), GONE)
    follow_up(db, GONE)
    follow_up(db, w.at(0, 20))
    assert standing(db, claimed) == (EscalationStatus.CLAIMED, AWAY)
    assert sent_since(db, GONE) == []


def test_with_no_facilitator_present_the_admins_are_asked_at_once(
    db: Database, world: World, claimed: int
) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.slack_user_id == PRESENT))
        uow.commit()
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(weeks=3), GONE)
    follow_up(db, GONE)

    assert standing(db, claimed) == (EscalationStatus.OPEN, None)
    asked = [
        (channel, text) for channel, method, text in sent_since(db, GONE) if method == "chat.postMessage"
    ]
    assert [channel for channel, _ in asked] == [ADMIN]
    assert actions(db)[-2:] == ["released", "sent_to_admins"]


def test_an_imported_leave_hands_the_claim_back_when_it_starts(
    db: Database, world: World, claimed: int
) -> None:
    cohort = rotation_cohort(db.reading(), "T0001", "pgy1")
    leave = Block("row 2", AWAY, w.at(5), w.at(19), AbsenceKind.LEAVE)
    import_rotations(db.unit_of_work(), cohort, [leave], now=GONE)

    follow_up(db, w.at(4, 23))  # the day before it starts: theirs still
    assert standing(db, claimed) == (EscalationStatus.CLAIMED, AWAY)
    follow_up(db, w.at(5, 0.02))  # the first pass once it has started
    assert standing(db, claimed) == (EscalationStatus.OPEN, None)
    asked = [channel for channel, method, _ in sent_since(db, w.at(5)) if method == "chat.postMessage"]
    assert asked == [PRESENT]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_hand_a_claim_back_once(database_url: str, db: Database, claimed: int) -> None:
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(weeks=3), GONE)
    with db.unit_of_work() as first:  # one worker's pass, between its release and its commit
        follow_up_unclaimed(first.session, GONE, [ADMIN], decrypt=w.unseal)
        raced(db, first, lambda: follow_up(db, GONE))
    asked = [channel for channel, method, _ in sent_since(db, GONE) if method == "chat.postMessage"]
    assert asked == [PRESENT]
    assert actions(db).count("released") == 1
