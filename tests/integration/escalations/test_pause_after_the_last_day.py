"""From an alert, once the cohort's last day is over in its own time zone, on SQLite and PostgreSQL: a
facilitator's Pause says the cohort has ended and changes nothing (the pair runs on, the alert is not
taken up) and nobody is told, as a partner's own Pause; ending the partnership and resolving the alert are
still theirs to do."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.errors import CohortEnded
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, OutboxMessage, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.partnership import end_from_escalation, pause_from_escalation
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import World

LAST_DAY = date(2026, 11, 2)  # the day the alert came (w.at())
ON_THE_LAST_DAY = w.at(0, 10)  # 19:00 in London
# 01:00 in London the next day: over where the cohort runs, not yet everywhere (its pairs run till noon UTC).
AFTER = w.at(0, 16)


def ending_on_the_alerts_day(db: Database, world: World) -> None:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        cohort.timezone, cohort.ends_on = "Europe/London", LAST_DAY
        uow.commit()


def acting(db: Database, escalation_id: int, when: datetime) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=when)


def sent_to_partners(db: Database) -> list[str]:
    with db.reading() as reading:
        rows = reading.session.scalars(
            select(OutboxMessage.channel).where(OutboxMessage.payload["template"].as_string() != "escalation")
        )
        return [channel or "" for channel in rows]


def trail(db: Database) -> list[tuple[str, str]]:
    with db.reading() as reading:
        events = reading.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id))
        return [(e.actor, e.action) for e in events]


def pair_status(db: Database, world: World) -> PartnershipStatus:
    with db.reading() as reading:
        return reading.session.get_one(Partnership, world.partnership_id).status


def test_pausing_from_the_alert_after_the_last_day_says_the_cohort_has_ended_and_tells_nobody(
    db: Database, world: World, escalation_id: int
) -> None:
    ending_on_the_alerts_day(db, world)

    with pytest.raises(CohortEnded) as raised:  # before: paused, and both partners told so
        pause_from_escalation(acting(db, escalation_id, AFTER), request_key=factories.request_key())

    assert raised.value.slugs == ["pgy1"]
    assert raised.value.facilitating is True  # the words are a facilitator's, not "ask your facilitators"
    assert pair_status(db, world) is PartnershipStatus.ACTIVE
    assert sent_to_partners(db) == []
    assert trail(db) == [("circles", "opened")]  # not taken up by a step that did not happen
    with db.reading() as reading:
        assert reading.session.get_one(Escalation, escalation_id).status is EscalationStatus.OPEN


def test_pausing_from_the_alert_on_the_last_day_itself_still_pauses(
    db: Database, world: World, escalation_id: int
) -> None:
    ending_on_the_alerts_day(db, world)

    pause_from_escalation(acting(db, escalation_id, ON_THE_LAST_DAY), request_key=factories.request_key())

    assert pair_status(db, world) is PartnershipStatus.PAUSED
    assert sorted(sent_to_partners(db)) == ["U0COACH", "U0LEARN"]


def test_ending_from_the_alert_after_the_last_day_still_ends_it_and_resolves_the_alert(
    db: Database, world: World, escalation_id: int
) -> None:
    ending_on_the_alerts_day(db, world)

    ended = end_from_escalation(acting(db, escalation_id, AFTER), rematch=False, request_key="r1")

    assert ended.view.card.partnership_status is PartnershipStatus.ENDED
    assert pair_status(db, world) is PartnershipStatus.ENDED
    with db.reading() as reading:
        assert reading.session.get_one(Escalation, escalation_id).status is EscalationStatus.RESOLVED


def test_pausing_from_an_alert_of_an_archived_cohort_changes_nothing_and_tells_nobody(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Cohort, world.cohort_id).archived_at = ON_THE_LAST_DAY
        uow.commit()

    with pytest.raises(CohortEnded) as raised:  # before: paused, and both partners told so
        pause_from_escalation(acting(db, escalation_id, ON_THE_LAST_DAY), request_key=factories.request_key())

    assert raised.value.facilitating is True
    assert pair_status(db, world) is PartnershipStatus.ACTIVE
    assert sent_to_partners(db) == []
