"""Support asked for in a refused check-in answer, on SQLite and PostgreSQL: sent once per submission, about
the check-in's own partnership, and only for the member whose check-in it is."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.checkins import CheckInAnswer
from circles.errors import CheckInNotYours
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.checkins.answers import answer
from circles.services.checkins.late_support import support_anyway
from tests import factories
from tests.factories import NOW

NOTE = "We have not met for a month"
ASKED = CheckInAnswer(rating=1, met=False, note=NOTE, share_note=True, wants_support=True)


def seeded(db: Database) -> int:
    with db.unit_of_work() as uow:
        checkin_id = factories.coached_checkin(uow.session)
        uow.commit()
        return checkin_id


def requests(db: Database) -> list[tuple[str | None, str | None, str | None]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        said = [(row.channel, row.payload["args"]) for row in rows]
        return [(channel, args["message"], args["partner_user_id"]) for channel, args in said]


def test_the_same_submission_taken_in_twice_asks_once_and_a_new_one_asks_again(db: Database) -> None:
    checkin_id = seeded(db)
    for key in ("trigger:1.2.form", "trigger:1.2.form", "trigger:1.3.form"):
        sent = support_anyway(db.unit_of_work(), "T0001", "U0LEE", checkin_id, ASKED, NOW, request_key=key)
        assert sent is not None
        assert sent.facilitators == ["U0FAY"]
    assert requests(db) == [("U0FAY", NOTE, "U0ADA"), ("U0FAY", NOTE, "U0ADA")]


def test_someone_elses_check_in_asks_nobody(db: Database) -> None:
    checkin_id = seeded(db)
    for user, team in (("U0ADA", "T0001"), ("U0LEE", "T0OTHER")):
        with pytest.raises(CheckInNotYours):
            support_anyway(db.unit_of_work(), team, user, checkin_id, ASKED, NOW, request_key="trigger:x")
    assert requests(db) == []


def test_a_check_in_answered_with_support_already_asks_nothing_more(db: Database) -> None:
    checkin_id = seeded(db)
    answered = CheckInAnswer(rating=2, wants_support=True)
    answer(db.unit_of_work(), "T0001", "U0LEE", checkin_id, answered, NOW, cipher=None)
    assert len(requests(db)) == 1
    again = support_anyway(db.unit_of_work(), "T0001", "U0LEE", checkin_id, ASKED, NOW, request_key="t:y")
    assert again is None
    assert len(requests(db)) == 1
