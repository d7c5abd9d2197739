"""A check-in whose question never went out in its time is dropped by the first pass after it (the workers
were down), while its person may be answering it from `/circles checkin`: the answer that comes first is
kept; one that comes after is told the check-in closed, and the support it ticked still reaches the
facilitators. On SQLite and PostgreSQL, and raced on PostgreSQL in both orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles import errors
from circles.domain.checkins import CheckInAnswer
from circles.messages import CheckinQuestion
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, OutboxMessage, Workspace
from circles.services.checkins.answers import Answered, answer
from circles.services.checkins.late_support import support_anyway
from circles.services.outbox.enqueue import Outgoing, enqueue
from circles.services.planning import expire_overdue
from circles.services.support.request import SupportSent
from tests import factories
from tests.databases import meanwhile, postgres, raced
from tests.integration.test_checkins import CIPHER, NOW, seed, stored

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

GRACE = timedelta(hours=6)
LATE = NOW + timedelta(hours=7)  # the workers are back: the question, due at NOW, is past its grace
NOTE = "We have not met for a month"
ASKED = CheckInAnswer(rating=1, met=False, note=NOTE, share_note=True, wants_support=True)


def asked_unsent(db: Database) -> tuple[int, int]:
    """Lee's check-in, its question still waiting in the outbox as the planner left it. (check-in, pair)"""
    lee, _ = seed(db)
    with db.unit_of_work() as uow:
        checkin = uow.session.get_one(CheckIn, lee)
        workspace = uow.session.scalars(select(Workspace)).one()
        key = f"checkin:{checkin.partnership_id}:{checkin.member_id}:2026-03-02"
        enqueue(
            uow.session,
            workspace.id,
            Outgoing(key, "U0LEE", CheckinQuestion(lee, "PGY-1", "U0ADA")),
            NOW,
            NOW,
        )
        uow.commit()
        return lee, checkin.partnership_id


def expire(db: Database) -> int:
    """The first pass's expiry, committed."""
    with db.unit_of_work() as uow:
        expired = expire_overdue(uow.session, LATE, GRACE)
        uow.commit()
        return expired


def answering(db: Database, checkin_id: int, pair: int | None, team: str = "T0001") -> Answered:
    """Lee sends the form, with support ticked; `pair` is the partnership the form names."""
    return answer(db.unit_of_work(), team, "U0LEE", checkin_id, ASKED, LATE, cipher=CIPHER, pair=pair)


def support_anyway_for(
    db: Database, checkin_id: int, pair: int | None, team: str = "T0001"
) -> SupportSent | None:
    """What the form does next when the answer was refused with support ticked."""
    return support_anyway(
        db.unit_of_work(), team, "U0LEE", checkin_id, ASKED, LATE, request_key="trigger:1.2", pair=pair
    )


def support_requests(db: Database) -> list[tuple[str | None, str | None, str | None]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        asked = [row for row in rows if row.payload["template"] == "support_request"]
        return [
            (row.channel, row.payload["args"]["message"], row.payload["args"]["partner_user_id"])
            for row in asked
        ]


def gone(db: Database, checkin_id: int) -> bool:
    with db.unit_of_work() as uow:
        return uow.session.get(CheckIn, checkin_id) is None


def test_an_answer_to_a_check_in_dropped_since_its_form_opened_is_told_closed_and_its_support_still_goes(
    db: Database,
) -> None:
    lee, pair = asked_unsent(db)
    assert expire(db) == 1
    assert gone(db, lee)

    with pytest.raises(errors.CheckInClosed):
        answering(db, lee, pair)
    sent = support_anyway_for(db, lee, pair)

    assert sent is not None
    assert sent.facilitators == ["U0FAY"]
    assert support_requests(db) == [("U0FAY", NOTE, "U0ADA")]  # about the pair, with the shared note


def test_a_dropped_check_in_named_with_another_pair_or_from_another_workspace_asks_nobody(
    db: Database,
) -> None:
    lee, pair = asked_unsent(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        factories.member(uow.session, cohort, "U0BEN")
        factories.member(uow.session, cohort, "U0CAL")
        others = factories.partnership(uow.session, "U0BEN", "U0CAL").id
        factories.workspace(uow.session, "T0OTHER")
        uow.commit()
    expire(db)

    for team, named in (("T0001", others), ("T0001", 999_999), ("T0OTHER", pair), ("T0001", None)):
        with pytest.raises(errors.CheckInNotYours):
            answering(db, lee, named, team)
        with pytest.raises(errors.CheckInNotYours):
            support_anyway_for(db, lee, named, team)
    assert support_requests(db) == []


@pytest.mark.postgres
def test_an_answer_sent_as_the_expiry_drops_its_check_in_is_told_closed_and_its_support_still_goes(
    postgres: Database,
) -> None:
    """The expiry gets there first: the answer waits for it, then finds the check-in gone."""
    lee, pair = asked_unsent(postgres)
    with postgres.unit_of_work() as expiry:
        expire_overdue(expiry.session, LATE, GRACE)
        refused = raced(postgres, expiry, lambda: answering(postgres, lee, pair))

    assert isinstance(refused, errors.CheckInClosed)
    assert gone(postgres, lee)
    sent = support_anyway_for(postgres, lee, pair)
    assert sent is not None
    assert support_requests(postgres) == [("U0FAY", NOTE, "U0ADA")]


@pytest.mark.postgres
def test_an_answer_under_way_when_the_expiry_comes_is_kept_and_the_expiry_waits_for_it(
    postgres: Database,
) -> None:
    """The answer gets there first (it holds its pair, about to store): the expiry waits, then keeps it."""
    lee, _ = asked_unsent(postgres)
    other = Database(postgres.engine.url.render_as_string(hide_password=False))  # another replica
    try:
        with meanwhile(postgres, "UPDATE checkins SET answered_at", lambda: expire(other)) as expired:
            answered = answering(postgres, lee, None)
    finally:
        other.dispose()

    assert expired == [1]  # the question was marked missed all the same
    assert answered.support is not None
    assert stored(postgres, lee).rating == 1  # not dropped under the answer
    assert support_requests(postgres) == [("U0FAY", NOTE, "U0ADA")]
