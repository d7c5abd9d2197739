"""The prompts planned for circles a round closed (Slack let nobody into their channels) are withdrawn in a
fixed number of statements, however many circles closed: a round of 2,000 circles refused at once held the
run and the cohort through a statement per circle."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.rounds.uninvited import withdraw_prompts
from tests import factories
from tests.databases import counted
from tests.factories import NOW


def closed_circles(db: Database, count: int) -> tuple[int, list[tuple[int, str | None]]]:
    """`count` circles with a channel each and a prompt planned for each (and one for a circle kept)."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        circles = [factories.circle(uow.session, co, [], f"c-{n}", f"C0{n:05d}") for n in range(count + 1)]
        for circle in circles:
            uow.session.add(
                OutboxMessage(
                    workspace_id=ws.id,
                    idempotency_key=f"circle_prompt:{circle.id}:2026-03-09",
                    method="chat.postMessage",
                    channel=circle.conversation_id,
                    payload={"template": "plain", "args": {"text": "A prompt"}},
                    due_at=NOW,
                    created_at=NOW,
                )
            )
        uow.commit()
        return ws.id, [(circle.id, circle.conversation_id) for circle in circles[:count]]


def withdrawn(db: Database, count: int) -> tuple[int, list[OutboxStatus]]:
    """How many statements withdrawing the prompts of `count` closed circles took, and each prompt's status
    after (the kept circle's last)."""
    workspace_id, closed = closed_circles(db, count)
    with db.unit_of_work() as uow, counted(db) as statements:
        withdraw_prompts(uow.session, workspace_id, closed)
        uow.commit()
    with db.unit_of_work() as uow:
        statuses = list(uow.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))
    return len(statements), statuses


def test_the_prompts_of_closed_circles_are_withdrawn_and_those_of_a_circle_kept_are_not(db: Database) -> None:
    _, statuses = withdrawn(db, 2)
    assert statuses == [OutboxStatus.SUPERSEDED, OutboxStatus.SUPERSEDED, OutboxStatus.PENDING]


def test_the_prompts_of_thirty_closed_circles_take_no_statement_per_circle(db: Database) -> None:
    many, statuses = withdrawn(db, 30)
    assert statuses == [OutboxStatus.SUPERSEDED] * 30 + [OutboxStatus.PENDING]
    assert many <= 4  # read once, superseded once, with the transaction's own around them
