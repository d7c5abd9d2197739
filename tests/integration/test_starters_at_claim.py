"""A conversation starter in the outbox goes only to a pair that still runs when a sender takes it: one
planned just before its pair was paused or ended (by any route, or a planner racing the change) is
dropped, never posted into the pair's conversation. On SQLite and PostgreSQL, one query per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, OutboxStatus, PartnershipStatus, Role
from circles.messages import PairPrompt, stored
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage, Partnership
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.databases import counted

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
STARTER = PairPrompt("p1", "Getting started", "What would make this useful for you?", None, "PGY-1", 1)


def pairs(db: Database, count: int, team: str = "T0001") -> list[int]:
    """A coach with `count` learners, each pair with its conversation and a starter planned for Monday."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team)
        co = factories.cohort(uow.session, ws)
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH, flush=False)
        learners = [factories.member(uow.session, co, f"U0L{n:03d}", flush=False) for n in range(count)]
        uow.session.flush()
        pairs = [
            factories.pair(uow.session, coach, learner, conversation_id=f"C0PAIR{n:03d}", flush=False)
            for n, learner in enumerate(learners)
        ]
        uow.session.flush()
        made = []
        for pair in pairs:
            uow.session.add(
                OutboxMessage(
                    workspace_id=ws.id,
                    idempotency_key=f"pair_prompt:{pair.id}:2027-01-11",
                    method="chat.postMessage",
                    channel=f"{team}-{pair.conversation_id}",
                    payload=stored(STARTER),
                    due_at=MONDAY_9,
                    created_at=MONDAY_9 - timedelta(hours=1),
                )
            )
            made.append(pair.id)
        uow.commit()
        return made


def set_status(db: Database, pair_id: int, status: PartnershipStatus) -> None:
    """The pair changed without the outbox being told: another route, or a planner that raced it."""
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, pair_id).status = status
        uow.commit()


def claimed_channels(db: Database) -> set[str]:
    found = claim_due(db.unit_of_work(), MONDAY_9, limit=50, claim_for=timedelta(minutes=5))
    return {row.channel or "" for row in found}


def statuses(db: Database) -> dict[str, OutboxStatus]:
    with db.unit_of_work() as uow:
        return {row.channel or "": row.status for row in uow.session.scalars(select(OutboxMessage))}


def test_a_starter_of_a_pair_paused_or_ended_since_it_was_planned_is_dropped_and_the_others_go(
    db: Database,
) -> None:
    _, paused, ended, _ = pairs(db, 4)
    set_status(db, paused, PartnershipStatus.PAUSED)
    set_status(db, ended, PartnershipStatus.ENDED)
    with db.unit_of_work() as uow:  # the last learner paused their membership: /circles pause
        uow.session.scalars(
            select(Member).where(Member.slack_user_id == "U0L003")
        ).one().status = MemberStatus.PAUSED
        uow.commit()

    assert claimed_channels(db) == {"T0001-C0PAIR000"}
    assert statuses(db) == {
        "T0001-C0PAIR000": OutboxStatus.CLAIMED,
        "T0001-C0PAIR001": OutboxStatus.SUPERSEDED,
        "T0001-C0PAIR002": OutboxStatus.SUPERSEDED,
        "T0001-C0PAIR003": OutboxStatus.SUPERSEDED,
    }


def test_checking_the_starters_costs_the_same_statements_for_two_pairs_or_twenty(db: Database) -> None:
    def statements_to_claim(team: str, count: int) -> int:
        for pair_id in pairs(db, count, team):
            set_status(db, pair_id, PartnershipStatus.PAUSED)
        with counted(db) as statements:
            assert claimed_channels(db) == set()
        return len(statements)

    assert statements_to_claim("T0FEW", 2) == statements_to_claim("T0MANY", 20)
