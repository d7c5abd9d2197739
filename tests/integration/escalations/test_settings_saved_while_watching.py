"""Two replicas on PostgreSQL: a facilitator saves their cohort's settings while the watch is alerting about
one of its pairs, or while a facilitator being taken off presses "I'll reach out"; a facilitator ends a
pair from its alert while a partner leaves. One waits for the other, both finish (no deadlock), and no
alert is left with someone no longer facilitating it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.errors import EscalationClosed, EscalationNotYours
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import open_escalations
from circles.services.escalations.partnership import end_from_escalation
from circles.services.escalations.view import EscalationView
from circles.services.health.due import take_due
from circles.services.people.membership import leave
from tests import escalation_world as w
from tests.databases import until_one_waits
from tests.escalation_world import World
from tests.integration.escalations.test_new_facilitators import save_facilitators
from tests.integration.test_cohort_settings_saved_since import opened
from tests.integration.test_cohort_settings_saved_since import save as save_settings
from tests.integration.test_request_round_race import at_once, while_held


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_settings_save_while_the_watch_alerts_about_a_pair_of_the_cohort_waits_and_both_finish(
    db: Database, world: World
) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, world.partnership_id).health_due_at = w.at()
        uow.commit()
    facilitator = w.FACILITATORS[0]
    form = opened(db, facilitator)
    saved: list[object] = []

    def save() -> None:
        try:
            save_settings(db, form, facilitator, checkin_every_weeks=3)  # at NOW: the watch's w.at()
            saved.append("saved")
        except Exception as error:  # the test reads what it was
            saved.append(error)

    watched: object = "alerted"
    with db.unit_of_work() as watching:
        assert take_due(watching.session, w.at()) == [world.partnership_id]  # the watch holds the pair
        saving = threading.Thread(target=save)
        saving.start()
        until_one_waits(db)  # the save has reached the pair, which it looks at again
        try:
            open_escalations(watching.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal)
            watching.commit()
        except Exception as error:  # the test reads what it was
            watched = error
    saving.join(timeout=30)

    assert watched == "alerted", watched
    assert saved == ["saved"], saved
    with db.reading() as reading:
        assert reading.session.scalars(select(Escalation.status)).all() == [EscalationStatus.OPEN]
        assert reading.session.scalars(select(Cohort.checkin_every_weeks)).one() == 3


def claim(db: Database, facilitator: str, escalation_id: int) -> EscalationView:
    """The facilitator presses "I'll reach out" on the alert, a day on."""
    act = EscalationAct(db.unit_of_work(), "T0001", facilitator, escalation_id, is_admin=False, now=w.at(1))
    return claim_escalation(act)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_facilitator_taken_off_while_pressing_ill_reach_out_is_refused_and_the_alert_stays_open(
    db: Database, world: World, escalation_id: int
) -> None:
    leaving, staying = w.FACILITATORS

    taken_off, claimed = at_once(
        db, lambda: save_facilitators(db, [staying]), lambda: claim(db, leaving, escalation_id)
    )

    assert taken_off is None, taken_off
    assert isinstance(claimed, EscalationNotYours), claimed  # no longer theirs to take
    with db.reading() as reading:
        escalation = reading.session.get_one(Escalation, escalation_id)
        assert (escalation.status, escalation.claimed_by) == (EscalationStatus.OPEN, None)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_ill_reach_out_pressed_while_the_facilitator_is_taken_off_is_open_again_after(
    db: Database, world: World, escalation_id: int
) -> None:
    leaving, staying = w.FACILITATORS
    with db.unit_of_work() as uow:  # snoozed: no follow-up of the cohort's the save would bring forward
        escalation = uow.session.get_one(Escalation, escalation_id)
        escalation.status, escalation.snoozed_until = EscalationStatus.SNOOZED, w.at(5)
        escalation.follow_up_at = None
        uow.session.get_one(Partnership, world.partnership_id).status = PartnershipStatus.PAUSED
        uow.commit()

    claimed, taken_off = at_once(
        db, lambda: claim(db, leaving, escalation_id), lambda: save_facilitators(db, [staying])
    )

    assert isinstance(claimed, EscalationView), claimed
    assert taken_off is None, taken_off
    with db.reading() as reading:
        escalation = reading.session.get_one(Escalation, escalation_id)
        assert (escalation.status, escalation.claimed_by) == (EscalationStatus.OPEN, None)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_facilitator_ending_the_pair_from_its_alert_while_a_partner_leaves_is_told_it_is_resolved(
    db: Database, world: World, escalation_id: int
) -> None:
    def end() -> object:
        act = EscalationAct(db.unit_of_work(), "T0001", w.FACILITATORS[0], escalation_id, False, w.at(1))
        return end_from_escalation(act, rematch=False, request_key="end-1")

    left, ended = while_held(
        db,
        lambda: leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(1)),
        end,
        # the leave holds the cohort: the facilitator presses End now
        holds=lambda sql: "FROM cohorts" in sql and "FOR NO KEY" in sql,
    )

    assert not isinstance(left, Exception), left
    assert isinstance(ended, EscalationClosed), ended  # the leave ended it first
    with db.reading() as reading:
        assert reading.session.get_one(Partnership, world.partnership_id).status is PartnershipStatus.ENDED
        assert reading.session.get_one(Escalation, escalation_id).status is EscalationStatus.RESOLVED
