"""An alert nobody may take any more goes to the people CIRCLES_ADMINS names for its own workspace, never to
those named for another, when the scheduling pass follows it up."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from circles.persistence.db import Database
from circles.persistence.models import Facilitator
from circles.services.planning.tick import Sent, run_tick
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import World

MINE, THEIRS = "U0MINE", "U0THEIRS"


def test_an_unclaimed_alert_reaches_only_its_own_workspaces_admins(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.cohort_id == world.cohort_id))
        factories.workspace(uow.session, "T0002")
        uow.commit()
    run_tick(
        db,
        w.at(hours=48),
        grace=timedelta(hours=6),
        admins={f"T0001:{MINE}", f"T0002:{THEIRS}"},
        decrypt=w.unseal,
        send=lambda: Sent(0, 0, 0, 0, ""),
    )
    with db.reading() as reading:
        told = {row.channel for row in w.outbox(reading.session) if "admins" in row.idempotency_key}
    assert told == {MINE}
