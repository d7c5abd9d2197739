"""An alert that comes round again when no facilitator may have it any more goes to the admins at once.

The facilitators who had it have left the cohort (a rotation ended) and the only one left is one of the
pair, or there is none: the reminder or the return from a snooze would otherwise reach nobody, and the
admins would hear a whole follow-up later, or never.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Facilitator
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.snooze import snooze_escalation
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World

ADMIN = "U0ADMIN"
LEFT = {"the only facilitator is one of the pair": ("U0COACH",), "the cohort has no facilitator": ()}


def only_facilitators(db: Database, world: World, users: tuple[str, ...]) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.cohort_id == world.cohort_id))
        for user in users:
            factories.facilitator(
                uow.session, uow.session.get_one(Cohort, world.cohort_id), user, flush=False
            )
        uow.commit()


def follow_up(db: Database, days: float = 0, hours: float = 0) -> int:
    with db.unit_of_work() as uow:
        taken = follow_up_unclaimed(uow.session, w.at(days, hours), [ADMIN], decrypt=w.unseal)
        uow.commit()
    return taken


def sent_since_opening(db: Database) -> dict[str, list[str]]:
    """Each person's escalation DMs after the ones it opened with, as they will read."""
    found: dict[str, list[str]] = {}
    with db.unit_of_work() as uow:
        for row in w.outbox(uow.session):
            if not row.idempotency_key.endswith(":opened"):
                found.setdefault(row.channel or "", []).append(w.rendered(row))
    return found


def actions(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def act(db: Database, user: str, escalation_id: int, days: float) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", user, escalation_id, is_admin=False, now=w.at(days))


@pytest.mark.parametrize("left", LEFT.values(), ids=LEFT.keys())
def test_an_unclaimed_alert_whose_reminder_no_facilitator_may_have_reaches_the_admins_then(
    db: Database, world: World, escalation_id: int, left: tuple[str, ...]
) -> None:
    assert follow_up(db, hours=1) == 0
    only_facilitators(db, world, left)

    assert follow_up(db, hours=48) == 1

    sent = sent_since_opening(db)
    assert list(sent) == [ADMIN]
    [shown] = sent[ADMIN]
    assert REASON in shown
    assert SHARED_NOTE not in shown  # the partners' notes are for facilitators only
    assert actions(db) == ["opened", "sent_to_admins"]
    assert follow_up(db, days=30) == 0  # asked once: nothing follows
    assert list(sent_since_opening(db)) == [ADMIN]


@pytest.mark.parametrize("left", LEFT.values(), ids=LEFT.keys())
@pytest.mark.parametrize("claimed", [False, True], ids=["unclaimed", "claimed by a facilitator who left"])
def test_an_alert_back_from_a_snooze_no_facilitator_may_have_reaches_the_admins_at_once(
    db: Database, world: World, escalation_id: int, left: tuple[str, ...], claimed: bool
) -> None:
    if claimed:
        claim_escalation(act(db, "U0FAC1", escalation_id, 1))
    snooze_escalation(act(db, "U0FAC1", escalation_id, 1), 1)
    only_facilitators(db, world, left)

    assert follow_up(db, days=2) == 1

    sent = sent_since_opening(db)
    assert list(sent) == [ADMIN]
    assert "U0COACH" in sent[ADMIN][0]  # the pair is named to the admins, never shown to the partner
    assert SHARED_NOTE not in sent[ADMIN][0]
    assert actions(db)[-2:] == ["snoozed", "sent_to_admins"]
    with db.unit_of_work() as uow:
        escalation = uow.session.get_one(Escalation, escalation_id)
        status = EscalationStatus.CLAIMED if claimed else EscalationStatus.OPEN
        assert (escalation.status, escalation.snoozed_until) == (status, None)
    follow_up(db, days=30)
    assert list(sent_since_opening(db)) == [ADMIN]


def test_a_reminder_still_goes_to_the_facilitators_who_may_have_it_and_not_to_the_admins(
    db: Database, world: World, escalation_id: int
) -> None:
    assert follow_up(db, hours=1) == 0
    only_facilitators(db, world, ("U0COACH", FACILITATORS[1]))

    assert follow_up(db, hours=48) == 1

    assert list(sent_since_opening(db)) == [FACILITATORS[1]]
    assert actions(db) == ["opened", "reminded"]
