"""`circles db upgrade` run by several replicas at the same moment on one PostgreSQL database."""

from __future__ import annotations

import subprocess

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from circles.persistence import migrate
from tests.databases import postgres_database
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, ROOT, environment

REPLICAS = 3


def upgrades_at_once(url: str) -> list[subprocess.CompletedProcess[str]]:
    """`circles db upgrade` in each replica, held at a barrier so that all begin within a millisecond."""
    started = [
        processes.popen(
            [*CIRCLES, "db", "upgrade"],
            cwd=ROOT,
            env=environment(DATABASE_URL=url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            barrier=True,
        )
        for _ in range(REPLICAS)
    ]
    for process in started:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    for process in started:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in started:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def versions(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = [row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))]
    engine.dispose()
    return rows


def one_upgraded_the_rest_found_it_done(results: list[subprocess.CompletedProcess[str]], before: str) -> None:
    head = migrate.head_revision()
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    said = sorted(result.stdout.split(": ", 1)[1].strip() for result in results)
    assert said == sorted([f"upgraded {before} → {head}"] + [f"already at {head}"] * (REPLICAS - 1))


@pytest.mark.postgres
def test_replicas_upgrading_an_empty_database_together_take_turns_and_all_succeed() -> None:
    with postgres_database() as url:
        results = upgrades_at_once(url)
        stored = versions(url)
    one_upgraded_the_rest_found_it_done(results, "empty")
    assert stored == [migrate.head_revision()]


@pytest.mark.postgres
def test_replicas_upgrading_a_database_one_migration_behind_together_apply_it_once() -> None:
    head = migrate.head_revision()
    assert head is not None
    previous = ScriptDirectory(str(migrate.MIGRATIONS)).get_revision(head).down_revision
    assert isinstance(previous, str)
    with postgres_database() as url:
        engine = create_engine(url)
        migrate.upgrade(engine, previous)
        engine.dispose()
        results = upgrades_at_once(url)
        stored = versions(url)
    one_upgraded_the_rest_found_it_done(results, previous)
    assert stored == [head]
