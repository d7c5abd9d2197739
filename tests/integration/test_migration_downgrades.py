"""Going back to the previous release's schema keeps what people wrote, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, text

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, CreationStep, MatchRun, Partnership
from tests import factories
from tests.factories import NOW

BEFORE_THIS_RELEASE = "0022"


def test_a_downgrade_and_upgrade_again_keep_every_pair_check_in_and_round_step(from_empty: Database) -> None:
    with from_empty.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        alice = factories.member(uow.session, co, "U0ALICE")
        bob = factories.member(uow.session, co, "U0BOB")
        pair = factories.pair(uow.session, alice, bob)
        uow.session.add(factories.checkin(pair, alice.id, NOW, 4, note=b"sealed", shared=True))
        run = MatchRun(
            workspace_id=co.workspace_id,
            cohort_id=co.id,
            round=1,
            seed=1,
            fingerprint="f",
            plan={},
            status=RunStatus.CONFIRMED,
            requested_by="U0FAC",
            created_at=NOW,
            families=1,
        )
        uow.session.add(run)
        uow.session.flush()
        uow.session.add(
            CreationStep(
                workspace_id=co.workspace_id,
                run_id=run.id,
                kind=StepKind.PAIR_CONVERSATION,
                target_id=pair.id,
                position=0,
                status=StepStatus.PENDING,
                updated_at=NOW,
            )
        )
        uow.commit()

    command.downgrade(migrate.alembic_config(from_empty.engine), BEFORE_THIS_RELEASE)
    with from_empty.engine.connect() as connection:
        kept = {
            table: connection.scalar(text(f"SELECT COUNT(*) FROM {table}"))
            for table in ("partnerships", "checkins", "creation_steps")
        }
    assert kept == {"partnerships": 1, "checkins": 1, "creation_steps": 1}

    migrate.upgrade(from_empty.engine)
    with from_empty.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Partnership)) == 1
        assert uow.session.scalar(select(CheckIn.note_encrypted)) == b"sealed"
        families = uow.session.execute(select(MatchRun.families, MatchRun.families_settled)).one()
    assert tuple(families) == (1, 0)  # the round's pair, still to be made
    with from_empty.engine.connect() as connection:  # SQLite's checks are back on, and nothing breaks them
        if from_empty.engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
