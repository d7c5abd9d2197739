"""A cohort whose pair worries its facilitators, and an escalation already sent to them."""

from __future__ import annotations

import pytest

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests.escalation_world import World


@pytest.fixture
def world(db: Database) -> World:
    with db.unit_of_work() as uow:
        built = w.build(uow.session)
        uow.commit()
    return built


@pytest.fixture
def escalation_id(db: Database, world: World) -> int:
    """Opened at w.at(), its DMs sent as the dispatcher leaves them: with where each landed."""
    with db.unit_of_work() as uow:
        [opened] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal
        )
        for n, row in enumerate(w.outbox(uow.session)):
            row.status, row.result = (
                OutboxStatus.SENT,
                {"ok": True, "channel": f"D0{row.channel}", "ts": f"1.{n}"},
            )
        uow.commit()
    return opened
