"""Two watches that reach a struggling pair at the same moment open one escalation and alert once."""

from __future__ import annotations

import importlib.util
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from circles.domain.vocabulary import EscalationStatus
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import Escalation, OutboxMessage
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests.escalation_world import World


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_watches_that_both_found_no_escalation_open_one_and_alert_each_facilitator_once(
    database_url: str, db: Database, world: World
) -> None:
    # Each watch pauses just before it writes, until the other has also read "nothing open yet": without
    # a database rule, both would insert. (SQLite never gets here: its writers take turns from BEGIN.)
    both_have_read = threading.Barrier(2, timeout=30)
    opened: list[list[int]] = []
    failures: list[BaseException] = []

    def watch() -> None:
        own = Database(database_url)  # its own engine and connections, like another process
        paused = False

        def before_write(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            nonlocal paused
            if not paused and statement.lstrip().upper().startswith("INSERT INTO ESCALATIONS"):
                paused = True
                both_have_read.wait()

        event.listen(own.engine, "before_cursor_execute", before_write)
        try:
            with own.unit_of_work() as uow:
                opened.append(
                    open_escalations(
                        uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal
                    )
                )
                uow.commit()
        except BaseException as error:  # reported below, with the thread's own failure
            failures.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=watch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(len(ids) for ids in opened) == [0, 1]  # one opened it; the other found it quietly
    with db.unit_of_work() as uow:
        statuses = list(uow.session.scalars(select(Escalation.status)))
        alerts = Counter(
            row.channel
            for row in uow.session.scalars(select(OutboxMessage))
            if "escalation" in row.idempotency_key
        )
    assert statuses == [EscalationStatus.OPEN]
    assert alerts == dict.fromkeys(w.FACILITATORS, 1)


def test_the_database_refuses_a_second_unresolved_escalation_for_a_pair(db: Database, world: World) -> None:
    with db.unit_of_work() as uow:
        [first] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal
        )
        uow.commit()
    with db.unit_of_work() as uow:
        existing = uow.session.get_one(Escalation, first)
        uow.session.add(
            Escalation(
                workspace_id=existing.workspace_id,
                cohort_id=existing.cohort_id,
                partnership_id=existing.partnership_id,
                status=EscalationStatus.SNOOZED,
                opened_at=w.at(1),
            )
        )
        with pytest.raises(IntegrityError, match=r"(?i)unique"):
            uow.session.flush()
    with db.unit_of_work() as uow:
        uow.session.get_one(Escalation, first).status = EscalationStatus.RESOLVED
        uow.commit()
    with db.unit_of_work() as uow:  # once resolved, a new one may open on newer evidence
        [second] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(days=30), decrypt=w.unseal
        )
        uow.commit()
    assert second != first


def run_migration(db: Database, name: str) -> None:
    """Run one migration's upgrade on its own, as Alembic would, against the database as it is."""
    path = next(Path(migrate.MIGRATIONS, "versions").glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        module.upgrade()


def test_upgrading_keeps_the_newest_of_two_unresolved_escalations_and_resolves_the_older(
    db: Database, world: World
) -> None:
    # As a database before the rule could be: the index is not there yet, and two processes opened two.
    with db.engine.begin() as connection:
        connection.execute(text("DROP INDEX uq_escalations_one_unresolved"))
    with db.unit_of_work() as uow:
        for days in (0, 1):
            uow.session.add(
                Escalation(
                    workspace_id=world.workspace_id,
                    cohort_id=world.cohort_id,
                    partnership_id=world.partnership_id,
                    status=EscalationStatus.OPEN,
                    opened_at=w.at(days),
                )
            )
        uow.commit()
    run_migration(db, "0014")
    with db.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(Escalation).order_by(Escalation.id)))
    assert [(row.status, row.resolved_at) for row in rows] == [
        (EscalationStatus.RESOLVED, w.at(0)),
        (EscalationStatus.OPEN, None),
    ]
    with db.unit_of_work() as uow:  # and the rule holds from then on
        uow.session.get_one(Escalation, rows[0].id).status = EscalationStatus.OPEN
        with pytest.raises(IntegrityError):
            uow.session.flush()
