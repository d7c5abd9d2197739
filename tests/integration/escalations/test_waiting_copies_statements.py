"""Alerts whose copies still wait to go (Slack failing, no worker running yet) are closed in as many
statements for twelve as for two: the waiting copies are superseded, and their words dropped, a kind at a
time rather than a row at a time. So are any private messages that stop waiting: superseded, or missed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.rows import NewMessage, add_new, expire_pending
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW
from tests.integration.escalations.test_follow_up_statements import (
    FEW,
    LATER,
    MANY,
    cost,
    end_by_hand,
    finish,
    opened,
)
from tests.integration.test_statements_at_scale import FACILITATORS, statements

DROPPED = {"template": "escalation", "args": {}, "private": True}  # what a closed alert's copy keeps


def alert_copies(db: Database) -> list[tuple[OutboxStatus, dict[str, Any]]]:
    """The alerts' first copies to the facilitators: how each stands and what it holds."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.method == "chat.postMessage", OutboxMessage.channel.in_(FACILITATORS))
            .order_by(OutboxMessage.id)
        )
        return [(row.status, row.payload) for row in rows]


def test_a_cohort_ending_with_twelve_alerts_whose_copies_still_wait_closes_them_in_as_many_statements_as_two(
    db: Database,
) -> None:
    found = []
    for team, pairs, day in (("T0001", FEW, 0), ("T0002", MANY, LATER)):
        opened(db, team, pairs, day)  # recorded, never sent
        found.append(statements(db, finish(db, team, day + 1)))
    assert found[0] == found[1]
    copies = alert_copies(db)
    assert len(copies) == len(FACILITATORS) * (FEW + MANY)
    assert copies == [(OutboxStatus.SUPERSEDED, DROPPED)] * len(copies)  # none goes, no notes kept


def test_the_follow_up_closing_twelve_ended_pairs_alerts_whose_copies_still_wait_costs_what_two_cost(
    db: Database,
) -> None:
    found = []
    for team, pairs, day in (("T0001", FEW, 0), ("T0002", MANY, LATER)):
        opened(db, team, pairs, day)
        end_by_hand(db, team, day + 1)
        found.append(cost(db, w.at(day + 2))[0])
    assert found[0] == found[1]
    copies = alert_copies(db)
    assert len(copies) == len(FACILITATORS) * (FEW + MANY)
    assert copies == [(OutboxStatus.SUPERSEDED, DROPPED)] * len(copies)


KINDS = {"support_request": True, "escalation": True, "checkin": False}  # template: private


def waiting(db: Database, team: str, each: int) -> list[int]:
    """`each` waiting messages of every kind in KINDS, in a workspace of `team`: their ids."""
    with db.unit_of_work() as uow:
        workspace_id = factories.workspace(uow.session, team).id
        messages = [
            NewMessage(
                workspace_id,
                f"{template}:{team}:{n}",
                "chat.postMessage",
                f"U{n}",
                {"template": template, "args": {"text": f"words {n}"}, "private": private},
                NOW,
            )
            for template, private in KINDS.items()
            for n in range(each)
        ]
        add_new(uow.session, messages, NOW)
        uow.commit()
    with db.reading() as reading:
        in_team = OutboxMessage.idempotency_key.contains(f":{team}:")
        return list(reading.session.scalars(select(OutboxMessage.id).where(in_team)))


def superseding(db: Database, ids: list[int]) -> Callable[[], object]:
    def work() -> object:
        with db.unit_of_work() as uow:
            supersede(uow.session, ids)
            uow.commit()
        return None

    return work


def missing(db: Database, _: list[int]) -> Callable[[], object]:
    def work() -> object:
        with db.unit_of_work() as uow:
            expire_pending(uow.session, NOW + timedelta(hours=1), [f"{template}:" for template in KINDS])
            uow.commit()
        return None

    return work


def kept(db: Database) -> list[tuple[OutboxStatus, dict[str, Any]]]:
    with db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(row.status, row.payload) for row in rows]


def what_each_keeps(status: OutboxStatus, each: int) -> list[tuple[OutboxStatus, dict[str, Any]]]:
    """A private message keeps its kind only; another keeps its words."""
    return [
        (
            status,
            {"template": template, "args": {} if private else {"text": f"words {n}"}, "private": private},
        )
        for template, private in KINDS.items()
        for n in range(each)
    ]


def test_twelve_private_messages_of_each_kind_stop_waiting_in_as_many_statements_as_two_each(
    db: Database,
) -> None:
    for work, status in ((superseding, OutboxStatus.SUPERSEDED), (missing, OutboxStatus.MISSED)):
        counts, expected = [], []
        for team, each in ((f"T{status.value}1", FEW), (f"T{status.value}2", MANY)):
            counts.append(statements(db, work(db, waiting(db, team, each))))
            expected += what_each_keeps(status, each)
        assert counts[0] == counts[1]
        assert kept(db)[-len(expected) :] == expected
