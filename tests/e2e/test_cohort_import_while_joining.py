"""`circles cohort import` on PostgreSQL while someone joins the cohort in Slack: one line saying so, not a
fault of the database, and nothing written."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from tests import factories
from tests.databases import WAITING_FOR_A_LOCK, postgres_db
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, environment
from tests.e2e.test_cohort_import_cli import circles_import
from tests.factories import NOW

FILE = (
    "cohort: {slug: pgy1-spring, name: PGY-1 residents, pairing: peer, facilitators: [U0FAC1]}\n"
    "members: [{user: U0ANN}, {user: U0BEN}, {user: U0CAL}]\n"
)


@pytest.fixture
def postgres() -> Iterator[Database]:
    with postgres_db() as db:
        yield db


def settings(db: Database) -> dict[str, str]:
    return {"DATABASE_URL": db.engine.url.render_as_string(hide_password=False)}


def counts(db: Database) -> tuple[int, int]:
    """How many cohorts and memberships the database holds."""
    with db.reading() as uow:
        cohorts = uow.session.scalar(select(func.count()).select_from(Cohort))
        members = uow.session.scalar(select(func.count()).select_from(Member))
    return cohorts or 0, members or 0


@pytest.mark.postgres
def test_someone_joining_while_the_file_is_applied_is_one_line_not_a_database_fault_and_nothing_is_written(
    tmp_path: Path, postgres: Database
) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text(FILE.replace("members: [", "members: [{user: U0DEV}, "))
    with postgres.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session, "T0HOSP"))
        uow.commit()
    # Dev joins in Slack while the import runs: the import, adding Dev too, waits for that transaction.
    joining = postgres.engine.connect()
    try:
        joining.begin()
        joined = {"workspace_id": cohort.workspace_id, "cohort_id": cohort.id, "slack_user_id": "U0DEV"}
        joining.execute(insert(Member).values(**joined, role="peer", status="active", joined_at=NOW))
        importing = processes.popen(
            [*CIRCLES, "cohort", "import", str(path), "--team", "T0HOSP"],
            cwd=tmp_path,
            env=environment(**settings(postgres)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while True:
            with postgres.engine.connect() as watching:  # a transaction sees pg_stat_activity as first read
                if watching.execute(text(WAITING_FOR_A_LOCK)).scalar_one() >= 1:
                    break
            assert importing.poll() is None, importing.communicate()
            assert time.monotonic() < deadline, "the import never waited for Dev's joining"
            time.sleep(0.01)
        joining.commit()
    finally:
        joining.close()
    out, err = importing.communicate(timeout=60)

    assert importing.returncode == 2
    assert out == ""
    assert err.splitlines() == [
        f"circles: {path}: cohort pgy1-spring changed while the file was applied (someone joined it or "
        "saved their profile at that moment); nothing was written: run it again"
    ]
    assert counts(postgres) == (1, 1)  # Dev, who joined; nothing of the file
    again = circles_import(tmp_path, str(path), "--team", "T0HOSP", **settings(postgres))
    assert again.returncode == 0, again.stderr
    assert counts(postgres) == (1, 4)
