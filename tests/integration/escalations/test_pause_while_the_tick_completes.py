"""A facilitator pauses or ends a pair from its alert at the moment the tick completes the pairs of its
cohort, whose end date is over (two processes, PostgreSQL): both take the cohort before the pair, so one
waits for the other and neither fails. The facilitator's Pause either comes first and is applied (the
tick leaves the cohort it holds to its next pass, which completes the paused pair) or comes second and
finds the alert resolved by the completion. SQLite's writers take turns, so there is no race there."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.errors import EscalationClosed
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.partnership import end_from_escalation, pause_from_escalation
from circles.services.escalations.view import EscalationView
from circles.services.partnerships.changes import complete_finished_cohorts
from tests import escalation_world as w
from tests.databases import meanwhile, raced
from tests.escalation_world import World

LAST_DAY = date(2026, 11, 2)  # the day the alert came (w.at())
# The zone last to end its day: the cohort closes there the instant its pairs complete everywhere, so a
# facilitator's click a minute before that instant can meet the tick that runs at it.
LAST_ZONE = "Etc/GMT+12"
COMPLETED_AT = datetime(2026, 11, 3, 12, tzinfo=UTC)
CLICKED_AT = COMPLETED_AT - timedelta(minutes=1)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def ending_on_the_last_day(db: Database, world: World) -> None:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        cohort.timezone, cohort.ends_on = LAST_ZONE, LAST_DAY
        uow.commit()


def acting(db: Database, escalation_id: int) -> EscalationAct:
    return EscalationAct(
        db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=CLICKED_AT, decrypt=w.unseal
    )


def ticked(db: Database) -> int:
    """The tick's completions, in a transaction of their own: how many pairs they completed."""
    with db.unit_of_work() as uow:
        completed = complete_finished_cohorts(uow.session, COMPLETED_AT)
        uow.commit()
    return completed


def pair_state(db: Database, world: World) -> tuple[PartnershipStatus, EndReason | None]:
    with db.reading() as reading:
        pair = reading.session.get_one(Partnership, world.partnership_id)
        return pair.status, pair.end_reason


def partners_told(db: Database) -> list[str]:
    """The idempotency keys of the notices sent to the partners about a facilitator's change."""
    with db.reading() as reading:
        keys = reading.session.scalars(
            select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.like("partnership:%"))
        )
        return sorted(keys)


def test_a_pause_from_the_alert_waits_for_the_tick_completing_the_cohort_and_is_told_the_alert_is_closed(
    db: Database, world: World, escalation_id: int
) -> None:
    ending_on_the_last_day(db, world)
    with db.unit_of_work() as tick:  # the tick, held at its commit while the facilitator presses Pause
        assert complete_finished_cohorts(tick.session, COMPLETED_AT) == 1
        paused = raced(db, tick, lambda: pause_from_escalation(acting(db, escalation_id), request_key="k1"))

    assert isinstance(paused, EscalationClosed), paused  # a refusal with its own words, not a failure
    assert pair_state(db, world) == (PartnershipStatus.ENDED, EndReason.COMPLETED)
    assert partners_told(db) == []  # nobody hears of a pause that was not made


def test_a_pause_from_the_alert_while_the_tick_completes_the_cohort_is_applied_and_completed_next_pass(
    db: Database, world: World, escalation_id: int
) -> None:
    ending_on_the_last_day(db, world)

    # The tick runs once the facilitator's pause holds the cohort and the pair, and writes the pair.
    with meanwhile(db, "UPDATE partnerships", lambda: ticked(db)) as tick:
        view = pause_from_escalation(acting(db, escalation_id), request_key="k1")

    assert view.card.partnership_status is PartnershipStatus.PAUSED
    assert tick == [0]  # the cohort held by the pause is left to the next pass, not waited for
    assert len(partners_told(db)) == 2  # each partner hears it is paused
    assert ticked(db) == 1
    assert pair_state(db, world) == (PartnershipStatus.ENDED, EndReason.COMPLETED)


def test_ending_from_the_alert_while_the_tick_completes_the_cohort_ends_it_as_the_facilitator_chose(
    db: Database, world: World, escalation_id: int
) -> None:
    ending_on_the_last_day(db, world)

    with meanwhile(db, "UPDATE partnerships", lambda: ticked(db)) as tick:
        ended = end_from_escalation(acting(db, escalation_id), rematch=False, request_key="k1")

    assert isinstance(ended.view, EscalationView)
    assert tick == [0]
    assert pair_state(db, world) == (PartnershipStatus.ENDED, EndReason.FACILITATOR)
    assert ticked(db) == 0  # nothing left running to complete
