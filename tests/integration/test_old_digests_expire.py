"""A coach's daily digest that could not go for longer than the grace window (the workspace uninstalled for
weeks, Slack or the workers down) is recorded as missed, as a planned prompt or check-in is: the day's next
digest says what is true then. A notice to a person still goes late. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.planning import expire_overdue
from tests.dispatching import NOW, Stored, plain, record, rows
from tests.stored_rows import DIGEST

THREE_WEEKS_AGO = NOW - timedelta(weeks=3)


def test_a_digest_weeks_old_is_missed_and_a_notice_as_old_still_waits_to_go(db: Database) -> None:
    old_day = THREE_WEEKS_AGO.date().isoformat()
    record(
        db,
        [Stored(f"digest:U0COACH:{old_day}", "U0COACH", "coach_digest", DIGEST), plain("notice:1", "U0ANN")],
        due_at=THREE_WEEKS_AGO,
    )

    with db.unit_of_work() as uow:
        expire_overdue(uow.session, NOW, timedelta(hours=6))
        uow.commit()

    found = rows(db)
    assert found[f"digest:U0COACH:{old_day}"].status is OutboxStatus.MISSED  # before: sent weeks late
    assert found["notice:1"].status is OutboxStatus.PENDING
