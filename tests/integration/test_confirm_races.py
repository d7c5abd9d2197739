"""Confirm pressed at the same moment on two replicas, on SQLite and PostgreSQL: one round, made once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, update

from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import StalePreview
from circles.persistence.db import Database
from circles.persistence.models import Circle, CreationStep, MatchRun, Partnership
from circles.services.matching.rounds import confirm_round, preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"


def seeded(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.PEER, 3, 4
        factories.facilitator(uow.session, co, FAC)
        for i in range(8):
            factories.member(uow.session, co, f"U0P{i}", Role.PEER, flush=False)
            factories.profile(uow.session, ws, f"U0P{i}", flush=False)
        uow.commit()


def preview(db: Database) -> int:
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW).run_id


def at_once(db: Database, run_ids: list[int]) -> list[StalePreview]:
    """Confirm each run in its own thread, all released together."""
    barrier, refused = threading.Barrier(len(run_ids)), list[StalePreview]()

    def confirm(run_id: int) -> None:
        barrier.wait()
        try:
            confirm_round(db.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=NOW)
        except StalePreview as error:
            refused.append(error)

    workers = [threading.Thread(target=confirm, args=(run_id,)) for run_id in run_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return refused


def count(db: Database, model: type[Circle | Partnership | CreationStep]) -> int:
    with db.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_one_preview_confirmed_twice_at_once_creates_its_circles_and_pairs_once(db: Database) -> None:
    seeded(db)
    run_id = preview(db)

    assert at_once(db, [run_id, run_id]) == []

    assert count(db, Circle) == 2
    assert count(db, Partnership) == 4
    assert count(db, CreationStep) == 2 * 3 + 4 * 2  # so each conversation is made in Slack once


def test_two_previews_of_one_cohort_confirmed_at_once_make_one_round_and_the_other_is_stale(
    db: Database,
) -> None:
    seeded(db)
    first, second = preview(db), preview(db)
    with db.unit_of_work() as uow:  # as two previews made at the same moment on two replicas leave them
        uow.session.execute(update(MatchRun).values(status=RunStatus.PREVIEWED))
        uow.commit()

    refused = at_once(db, [first, second])

    assert len(refused) == 1
    assert count(db, Circle) == 2
    assert count(db, Partnership) == 4
    with db.unit_of_work() as uow:
        rounds = uow.session.scalars(select(Circle.round).distinct()).all()
    assert rounds == [1]
