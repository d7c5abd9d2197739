"""A facilitator once paired with a member, in any cohort, hears nothing of that member's partnerships: not
why one ended, not its rows in a report, not its health on a board, and cannot act on its alert. On
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.errors import EscalationNotYours
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import open_escalations
from circles.services.health.boards import board
from circles.services.partnerships.changes import end_partnership
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW

FORMER, OTHER = "U0FAY", "U0GUS"  # facilitators of pgy1; U0FAY coached the learner in last year's cohort
WHY = "I still miss working with my old coach"


def seed(db: Database) -> int:
    """The learner coached by U0ADA in pgy1, and once by U0FAY in `last-year`; the pgy1 pair's id."""
    with db.unit_of_work() as uow:
        session = uow.session
        workspace = factories.workspace(session)
        here, before = (factories.cohort(session, workspace, slug, slug) for slug in ("pgy1", "last-year"))
        for cohort in (here, before):
            cohort.pairing_mode = PairingMode.COACH_LEARNER
        for user in (FORMER, OTHER):
            factories.facilitator(session, here, user, flush=False)
        factories.pair(
            session,
            factories.member(session, before, FORMER, Role.COACH),
            factories.member(session, before, "U0LEE"),
        )
        pair = factories.pair(
            session,
            factories.member(session, here, "U0ADA", Role.COACH),
            factories.member(session, here, "U0LEE"),
        )
        uow.commit()
        return pair.id


def test_why_a_partnership_ended_reaches_only_facilitators_never_paired_with_either_partner(
    db: Database,
) -> None:
    pair_id = seed(db)
    end_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, WHY, NOW, request_key="e1")
    with db.reading() as reading:
        told = {
            row.channel
            for row in reading.session.scalars(select(OutboxMessage))
            if row.payload.get("template") == "partnership_report"
        }
    assert told == {OTHER}


def test_the_board_and_the_alert_of_their_former_partners_pair_are_not_theirs(db: Database) -> None:
    pair_id = seed(db)
    with db.unit_of_work() as uow:
        [opened] = open_escalations(uow.session, [w.struggling(pair_id)], NOW, decrypt=w.unseal)
        uow.commit()
    assert [row.partnership_id for row in board(db.unit_of_work(), "T0001", OTHER, "pgy1", NOW).rows] == [
        pair_id
    ]
    assert board(db.unit_of_work(), "T0001", FORMER, "pgy1", NOW).rows == []
    with pytest.raises(EscalationNotYours):
        claim_escalation(EscalationAct(db.unit_of_work(), "T0001", FORMER, opened, is_admin=False, now=NOW))
