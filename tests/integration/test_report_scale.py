"""A big cohort's report on SQLite and PostgreSQL: circles counted in a time that grows with the rows, not
with circles times every message the workspace ever had."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import insert, literal, select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort, OutboxMessage
from circles.services.reports import cohort_report
from tests import factories
from tests import report_world as w
from tests.counted_rows import days_after, numbers, padded, text_of

CIRCLES, OTHER_MESSAGES = 600, 40_000


def busy_workspace(db: Database) -> int:
    """A cohort of many circles (its id) in a workspace with a long history of other messages."""
    days = w.Days(w.START)
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, "T0BIG")
        cohort = factories.cohort(uow.session, ws, "big", "Big cohort")
        circles = [
            Circle(
                workspace_id=ws.id,
                cohort_id=cohort.id,
                round=1 + number % 3,
                name=f"circle-big-{number}",
                conversation_id=f"C{number:05d}",
                created_at=days.on(3),
            )
            for number in range(CIRCLES)
        ]
        uow.session.add_all(circles)
        uow.session.flush()

        def message(key: str, channel: str, due: timedelta, status: OutboxStatus) -> dict[str, object]:
            at = w.START + due
            payload = {"template": key.split(":")[0], "args": {}}
            return dict(
                workspace_id=ws.id, idempotency_key=key, method="chat.postMessage", channel=channel,
                payload=payload, status=status, due_at=at, created_at=at,
            )  # fmt: skip

        prompts = [
            message(
                f"circle_prompt:{circle.id}:{week}",
                str(circle.conversation_id),
                timedelta(weeks=week),
                status,
            )
            for circle in circles
            for week, status in ((1, OutboxStatus.SENT), (2, OutboxStatus.MISSED))
        ]
        uow.session.execute(insert(OutboxMessage), prompts)
        # The rest of a busy workspace's history: check-ins and digests in people's DMs.
        n, dialect = numbers(OTHER_MESSAGES).c.n, uow.session.get_bind().dialect.name
        due = days_after(w.START, n % 30, dialect)
        others = select(
            literal(ws.id),
            text_of("checkin:", n),
            literal("chat.postMessage"),
            padded("D", n % 3000, 5),
            literal({"template": "checkin", "args": {}}, OutboxMessage.payload.type),
            literal(OutboxStatus.SENT, OutboxMessage.status.type),
            due,
            due,
        )
        names = ["workspace_id", "idempotency_key", "method", "channel", "payload", "status", "due_at"]
        uow.session.execute(insert(OutboxMessage).from_select([*names, "created_at"], others))
        uow.commit()
        return cohort.id


def test_a_cohort_of_many_circles_in_a_busy_workspace_gets_its_report_in_moments(db: Database) -> None:
    cohort_id = busy_workspace(db)
    with db.reading() as uow:
        big = uow.session.get_one(Cohort, cohort_id)
        started = time.perf_counter()
        report = cohort_report(uow.session, big, w.START + timedelta(weeks=3))
        took = time.perf_counter() - started
    assert len(report.circles) == CIRCLES
    assert {(c.prompts_sent, c.prompts_missed, c.prompts_waiting) for c in report.circles} == {(1, 1, 0)}
    assert took < 2.0
