"""A facilitator's notice that a member asked for support (their request could not be shown) can still wait
in the outbox when that member leaves and asks to be erased: once erased, it is never sent; the same notice
about someone not erased still goes. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from circles.domain.vocabulary import Role
from circles.messages import SupportUnshown
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.queue import claim_due
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from tests.factories import NOW
from tests.integration.test_directory import seed

LEARNER, OTHER = "U0ANN", "U0EVE"


def test_an_unsent_notice_that_an_erased_member_asked_for_support_is_never_sent(db: Database) -> None:
    ids = seed(db, **{LEARNER: Role.LEARNER, OTHER: Role.LEARNER})
    with db.unit_of_work() as uow:
        notices = [
            Outgoing(f"unshown:support:{who}:U0FAC", "U0FAC", SupportUnshown("PGY1-SPRING", who))
            for who in (LEARNER, OTHER)
        ]
        enqueue_many(uow.session, ids.workspace, notices, due_at=NOW + timedelta(hours=1), now=NOW)
        uow.commit()
    leave(db.unit_of_work(), "T0001", None, LEARNER, NOW)

    assert erase_personal_data(db.unit_of_work(), "T0001", LEARNER, NOW) is True

    claimed = claim_due(db.unit_of_work(), NOW + timedelta(hours=2), limit=100, claim_for=timedelta(days=1))
    shown = [row.payload["args"] for row in claimed if row.payload["template"] == SupportUnshown.TEMPLATE]
    assert [args["member_user_id"] for args in shown] == [OTHER]
