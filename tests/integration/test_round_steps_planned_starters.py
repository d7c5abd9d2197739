"""Conversation starters already planned for a pair (outbox rows pair_prompt:{pair}:{day}) stop when the pair
is paused by a partner or a facilitator, or completed at its cohort's end, on SQLite and PostgreSQL; other
pairs' starters stay, and completing many pairs costs the statements of completing a few."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import EndReason, OutboxStatus, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Partnership
from circles.services.partnerships.changes import (
    change_for_facilitator,
    complete_finished_cohorts,
    pause_partnership,
    resume_partnership,
)
from tests import factories
from tests.databases import counted
from tests.dispatching import NOW, Stored, record, rows

DAY = NOW.date().isoformat()


def pairs(db: Database, team: str = "T0001", learners: int = 2) -> list[int]:
    """A coach with `learners` learners, each pair with its conversation and a starter planned for today."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, f"{team}FAC")
        coach = factories.member(uow.session, co, f"{team}COACH", Role.COACH, flush=False)
        people = [
            factories.member(uow.session, co, f"{team}L{n}", Role.LEARNER, flush=False)
            for n in range(learners)
        ]
        uow.session.flush()
        made = [
            factories.pair(uow.session, coach, learner, conversation_id=f"G{team}{n}", flush=False)
            for n, learner in enumerate(people)
        ]
        uow.session.flush()
        ids = [pair.id for pair in made]
        uow.commit()
    starters = [
        Stored(f"pair_prompt:{pair_id}:{DAY}", f"G{team}{n}", "pair_prompt", {"text": "What went well?"})
        for n, pair_id in enumerate(ids)
    ]
    record(db, starters, due_at=NOW + timedelta(minutes=30), team_id=team)
    return ids


def starter(db: Database, pair_id: int) -> OutboxStatus:
    return rows(db)[f"pair_prompt:{pair_id}:{DAY}"].status


def test_a_partner_pausing_drops_the_starter_planned_for_their_pair_only(db: Database) -> None:
    paused, other = pairs(db)

    pause_partnership(db.unit_of_work(), "T0001", "T0001L0", paused, NOW, request_key=factories.request_key())

    assert starter(db, paused) is OutboxStatus.SUPERSEDED
    assert starter(db, other) is OutboxStatus.PENDING


def test_a_facilitator_pausing_a_pair_drops_its_planned_starter(db: Database) -> None:
    paused, other = pairs(db)

    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, paused)
        change_for_facilitator(
            uow.session, pair, PartnershipStatus.PAUSED, EndReason.FACILITATOR, NOW, request_key="k"
        )
        uow.commit()

    assert starter(db, paused) is OutboxStatus.SUPERSEDED
    assert starter(db, other) is OutboxStatus.PENDING


def test_resuming_drops_nothing(db: Database) -> None:
    paused, other = pairs(db)
    pause_partnership(db.unit_of_work(), "T0001", "T0001L0", paused, NOW, request_key="pause")
    record(db, [Stored(f"pair_prompt:{other}:later", "GT00011", "pair_prompt")], team_id="T0001")

    resume_partnership(db.unit_of_work(), "T0001", "T0001L0", paused, NOW, request_key="resume")

    assert starter(db, other) is OutboxStatus.PENDING
    assert rows(db)[f"pair_prompt:{other}:later"].status is OutboxStatus.PENDING


def ending(db: Database, ends_on: date) -> None:
    with db.unit_of_work() as uow:
        for cohort in uow.session.scalars(select(Cohort)):
            cohort.ends_on = ends_on
        uow.commit()


def test_pairs_completed_at_their_cohorts_end_get_no_starter_afterwards(db: Database) -> None:
    first = pairs(db, "T0001")
    second = pairs(db, "T0002")
    ending(db, NOW.date() - timedelta(days=2))  # over in every time zone by NOW

    with db.unit_of_work() as uow:
        assert complete_finished_cohorts(uow.session, NOW) == 4
        uow.commit()

    assert {starter(db, pair_id) for pair_id in first + second} == {OutboxStatus.SUPERSEDED}


def completing(db: Database, team: str, learners: int) -> int:
    """The statements completing a finished cohort of `learners` pairs sends."""
    pairs(db, team, learners)
    ending(db, NOW.date() - timedelta(days=2))  # over in every time zone by NOW
    with counted(db) as seen, db.unit_of_work() as uow:
        complete_finished_cohorts(uow.session, NOW)
        uow.commit()
    return len([s for s in seen if not s.startswith("PRAGMA")])


def test_completing_many_pairs_takes_as_many_statements_as_completing_a_few(db: Database) -> None:
    few = completing(db, "T0001", 2)
    many = completing(db, "T0002", 12)
    assert many == few
