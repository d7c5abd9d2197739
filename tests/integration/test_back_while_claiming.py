"""Two replicas on PostgreSQL: someone says `/circles back` at the moment a sender is holding one of their
messages back for the return date they first gave. The change waits for the sender, then brings the held
message forward: it goes now, not on the old return date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import OutboxStatus, Role
from circles.messages import PartnerBack
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.availability.away import come_back, go_away
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.databases import postgres
from tests.factories import NOW
from tests.integration.test_request_round_race import at_once

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

BACK = NOW + timedelta(hours=3)


@pytest.mark.postgres
def test_back_while_a_sender_holds_their_message_for_the_old_return_date_brings_it_forward(
    postgres: Database,
) -> None:
    with postgres.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, workspace, "pgy1", "PGY-1")
        factories.member(uow.session, cohort, "U0ANN", Role.PEER, flush=False)
        factories.profile(uow.session, workspace, "U0ANN", "UTC", flush=False)
        uow.commit()
        workspace_id = workspace.id
    go_away(postgres.unit_of_work(), "T0001", "U0ANN", AwayRequest(weeks=2), NOW)
    with postgres.unit_of_work() as uow:
        notice = PartnerBack("U0BEN")  # a message that waits for her window
        enqueue_many(uow.session, workspace_id, [Outgoing("note:1", "U0ANN", notice)], BACK, BACK)
        uow.commit()

    claimed, back = at_once(
        postgres,
        lambda: claim_due(postgres.unit_of_work(), BACK, limit=10, claim_for=timedelta(minutes=5)),
        lambda: come_back(postgres.unit_of_work(), "T0001", "U0ANN", BACK),
    )

    assert claimed == []  # the sender held it back: she was still away when it looked
    assert not isinstance(back, Exception), back
    with postgres.reading() as reading:
        status, due = reading.session.execute(
            select(OutboxMessage.status, OutboxMessage.due_at).where(
                OutboxMessage.idempotency_key == "note:1"
            )
        ).one()
    assert status is OutboxStatus.PENDING
    assert due <= BACK  # before: two weeks later, on the return date she first gave
