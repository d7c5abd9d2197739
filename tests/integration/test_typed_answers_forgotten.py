"""The answer to what someone typed is forgotten once its minute is long over: someone in no cohort, who has
nothing to leave and so nothing to erase, keeps no row telling when they wrote; one answer a minute still
holds. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.tick import run_tick
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.support.care import answer_typed_message, forget_answers
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, plain, record


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def outbox(db: Database) -> list[tuple[str, OutboxStatus]]:
    with db.unit_of_work() as uow:
        rows = uow.session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.status)).all()
    return sorted((key, status) for key, status in rows)


def test_someone_in_no_cohort_who_wrote_keeps_no_row_of_when_once_the_tick_has_passed(
    db: Database, standin: SlackStandIn
) -> None:
    standin.add_user("U0NEW")
    record(
        db, [plain("notice", "C0NEWS")], due_at=NOW + timedelta(days=1)
    )  # the workspace, and a row to keep
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0NEW", NOW)
    deps = deps_for(db, standin)
    run_tick(deps, NOW, sending=UNPACED)  # the answer goes out at once
    assert [c.args["channel"] for c in standin.calls("chat.postMessage")] == ["U0NEW"]
    assert ("dm-answer:U0NEW:2026-11-23T09:00", OutboxStatus.SENT) in outbox(db)  # for its minute

    run_tick(deps, NOW + timedelta(minutes=6), sending=UNPACED)

    assert outbox(db) == [("notice", OutboxStatus.PENDING)]  # nothing says when U0NEW wrote


def test_one_answer_a_minute_holds_across_the_housekeeping(db: Database) -> None:
    record(db, [])
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0NEW", NOW)
    with db.unit_of_work() as uow:
        uow.session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
        uow.commit()
    assert forget_answers(db.unit_of_work(), NOW + timedelta(seconds=30)) == 0  # its minute is not over

    assert not answer_typed_message(db.unit_of_work(), "T0001", "U0NEW", NOW + timedelta(seconds=40))
    assert outbox(db) == [("dm-answer:U0NEW:2026-11-23T09:00", OutboxStatus.SENT)]

    assert forget_answers(db.unit_of_work(), NOW + timedelta(minutes=6)) == 1
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0NEW", NOW + timedelta(minutes=7))  # answered


def test_an_answer_still_waiting_to_be_sent_is_not_forgotten(db: Database) -> None:
    record(db, [])
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0NEW", NOW)  # Slack was down: not sent yet

    assert forget_answers(db.unit_of_work(), NOW + timedelta(hours=1)) == 0

    assert outbox(db) == [("dm-answer:U0NEW:2026-11-23T09:00", OutboxStatus.PENDING)]
