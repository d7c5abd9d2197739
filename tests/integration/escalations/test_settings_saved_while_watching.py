"""Two replicas on PostgreSQL: a facilitator saves their cohort's settings while the watch is alerting about
one of its pairs, or while a facilitator being taken off presses "I'll reach out"; a facilitator ends a
pair from its alert while a partner leaves. One waits for the other, both finish (no deadlock), and no
alert is left with someone no longer facilitating it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event, select

from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.errors import EscalationClosed, EscalationNotYours
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, Partnership
from circles.services.cohorts.config import cohort_config, configure_cohort
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
from tests.integration.test_request_round_race import WAIT, at_once, started


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_settings_save_while_the_watch_alerts_about_a_pair_of_the_cohort_waits_and_both_finish(
    db: Database, world: World
) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, world.partnership_id).health_due_at = w.at()
        uow.commit()
    facilitator = w.FACILITATORS[0]
    form = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id=facilitator, is_admin=False)
    saved: list[object] = []

    def save() -> None:
        try:
            configure_cohort(
                db.unit_of_work(),
                "T0001",
                "pgy1",
                form.settings.with_changes(checkin_every_weeks=3),
                form.facilitators,
                user_id=facilitator,
                is_admin=False,
                now=w.at(),
                opened_as=form.digest,
            )
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


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_facilitator_taken_off_while_pressing_ill_reach_out_is_refused_and_the_alert_stays_open(
    db: Database, world: World, escalation_id: int
) -> None:
    leaving, staying = w.FACILITATORS

    def take_off() -> None:
        config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=True)
        configure_cohort(
            db.unit_of_work(),
            "T0001",
            "pgy1",
            config.settings,
            [staying],
            user_id="U0ADMIN",
            is_admin=True,
            now=w.at(1),
            decrypt=w.unseal,
        )

    def claim() -> EscalationView:
        act = EscalationAct(db.unit_of_work(), "T0001", leaving, escalation_id, is_admin=False, now=w.at(1))
        return claim_escalation(act)

    taken_off, claimed = at_once(db, take_off, claim)

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

    def take_off() -> None:
        config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=True)
        configure_cohort(
            db.unit_of_work(),
            "T0001",
            "pgy1",
            config.settings,
            [staying],
            user_id="U0ADMIN",
            is_admin=True,
            now=w.at(1),
            decrypt=w.unseal,
        )

    def claim() -> EscalationView:
        act = EscalationAct(db.unit_of_work(), "T0001", leaving, escalation_id, is_admin=False, now=w.at(1))
        return claim_escalation(act)

    claimed, taken_off = at_once(db, claim, take_off)

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
    cohort_held, go_on = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if threading.current_thread().name == "leave" and "FROM cohorts" in sql and "FOR NO KEY" in sql:
            cohort_held.set()  # the leave holds the cohort: the facilitator presses End now
            go_on.wait(WAIT)

    def end() -> object:
        act = EscalationAct(db.unit_of_work(), "T0001", w.FACILITATORS[0], escalation_id, False, w.at(1))
        return end_from_escalation(act, rematch=False, request_key="end-1")

    event.listen(db.engine, "after_cursor_execute", statement)
    try:
        leaving = started(
            outcomes, "leave", lambda: leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(1))
        )
        cohort_held.wait(30)
        ending = started(outcomes, "end", end)
        until_one_waits(db, WAIT)
        go_on.set()
        for worker in (leaving, ending):
            worker.join(timeout=60)
    finally:
        event.remove(db.engine, "after_cursor_execute", statement)

    assert not isinstance(outcomes["leave"], Exception), outcomes["leave"]
    assert isinstance(outcomes["end"], EscalationClosed), outcomes["end"]  # the leave ended it first
    with db.reading() as reading:
        assert reading.session.get_one(Partnership, world.partnership_id).status is PartnershipStatus.ENDED
        assert reading.session.get_one(Escalation, escalation_id).status is EscalationStatus.RESOLVED
