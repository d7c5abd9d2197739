"""An alert claimed by a facilitator who leaves Slack, or is taken off the cohort, is open again by the same
path as one whose claimer went away for weeks: before the facilitators present who may hear of it, never
one away; with none, straight to the admins at once, rather than after the cohort's follow-up hours; and
every copy already sent is redrawn as the alert now stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select

from circles.domain.availability.going_away import AwayRequest
from circles.domain.escalations import FollowUp
from circles.domain.vocabulary import EscalationStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent
from circles.services.availability.away import go_away
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.people.left_slack import left_slack
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import REASON, SHARED_NOTE, World

CLAIMER, OTHER, ADMIN = "U0FAC1", "U0FAC2", "U0ADMIN"
RELEASED = w.at(2)


def claimed_while_the_other_is_away(db: Database, world: World, escalation_id: int) -> None:
    with db.unit_of_work() as uow:
        factories.member(uow.session, uow.session.get_one(Cohort, world.cohort_id), OTHER, Role.COACH)
        uow.commit()
    go_away(db.unit_of_work(), "T0001", OTHER, AwayRequest(weeks=3), w.at(0.5))
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", CLAIMER, escalation_id, False, w.at(1)))


def leaves_slack(db: Database) -> None:
    left_slack(db, "T0001", CLAIMER, RELEASED, decrypt=w.unseal, admins=[ADMIN])


def taken_off(db: Database) -> None:
    config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id=ADMIN, is_admin=True)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        config.settings,
        [OTHER],
        user_id=ADMIN,
        is_admin=True,
        now=RELEASED,
        decrypt=w.unseal,
        admins=[ADMIN],
    )


RELEASES = [pytest.param(leaves_slack, id="left-slack"), pytest.param(taken_off, id="taken-off")]


def sent_since(db: Database, at: datetime, method: str) -> list[tuple[str, str]]:
    """(channel, as it will read) of each row of this method recorded from `at` on."""
    with db.reading() as unit:
        rows = [row for row in w.outbox(unit.session) if row.created_at.replace(tzinfo=at.tzinfo) >= at]
        return [(row.channel or "", w.rendered(row)) for row in rows if row.method == method]


def actions(db: Database) -> list[str]:
    with db.reading() as unit:
        return list(unit.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


@pytest.mark.parametrize("release", RELEASES)
def test_with_the_only_other_facilitator_away_the_admins_hear_at_once_and_the_away_nothing(
    db: Database, world: World, escalation_id: int, release: Callable[[Database], None]
) -> None:
    claimed_while_the_other_is_away(db, world, escalation_id)
    release(db)

    [(to, shown)] = sent_since(db, RELEASED, "chat.postMessage")
    assert to == ADMIN  # before any follow-up pass, and never the facilitator who is away
    assert REASON in shown
    assert SHARED_NOTE not in shown  # the admins' card: the partners' notes are for facilitators
    assert actions(db)[-2:] == ["released", "sent_to_admins"]
    with db.reading() as unit:
        escalation = unit.session.get_one(Escalation, escalation_id)
        assert (escalation.status, escalation.claimed_by) == (EscalationStatus.OPEN, None)
        assert (escalation.follow_ups, escalation.follow_up_at) == (len(FollowUp), None)  # nothing follows

    with db.unit_of_work() as uow:  # the follow-ups that come: the admins are not asked twice
        for days in (2.01, 4.5, 7):
            follow_up_unclaimed(uow.session, w.at(days), [ADMIN], decrypt=w.unseal)
        uow.commit()
    assert [to for to, _ in sent_since(db, RELEASED, "chat.postMessage")] == [ADMIN]


@pytest.mark.parametrize("release", RELEASES)
def test_every_copy_already_sent_is_redrawn_open_again_but_a_withdrawn_one(
    db: Database, world: World, escalation_id: int, release: Callable[[Database], None]
) -> None:
    claimed_while_the_other_is_away(db, world, escalation_id)
    release(db)

    redrawn = dict(sent_since(db, RELEASED, "chat.update"))
    assert "is reaching out" not in redrawn[f"D0{OTHER}"]  # found on their return
    assert "escalation_claim" in redrawn[f"D0{OTHER}"]
    if release is taken_off:  # their copy keeps nothing of the pair, and is drawn so once
        assert REASON not in redrawn[f"D0{CLAIMER}"]
        assert len(sent_since(db, RELEASED, "chat.update")) == 2


@pytest.mark.parametrize("release", RELEASES)
def test_with_another_facilitator_present_it_goes_to_them_and_not_the_admins(
    db: Database, world: World, escalation_id: int, release: Callable[[Database], None]
) -> None:
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", CLAIMER, escalation_id, False, w.at(1)))
    release(db)

    [(to, shown)] = sent_since(db, RELEASED, "chat.postMessage")
    assert to == OTHER
    assert "open again" in shown.lower()
    assert actions(db)[-1] == "released"
