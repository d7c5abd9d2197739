"""A database Circles cannot use stops every command with one line naming DATABASE_URL, exit code 2."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.e2e import processes
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, SIGNING_SECRET
from tests.e2e.harness import CIRCLES, environment, free_port


def circles(*args: str, cwd: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    return processes.run(
        [*CIRCLES, *args],
        cwd=cwd,
        env=environment(
            DATABASE_URL=database_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",  # never reached
            CIRCLES_NOTES_KEY=NOTES_KEY,
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line the command printed, after checking it stopped as it should."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("circles: ")
    assert "DATABASE_URL" in line
    return line


def test_run_in_a_folder_that_does_not_exist_says_so_in_one_line(tmp_path: Path) -> None:
    line = one_line(circles("run", cwd=tmp_path, database_url=f"sqlite:///{tmp_path}/gone/circles.db"))
    assert f"the folder {tmp_path}/gone does not exist" in line


def test_tick_on_a_folder_given_as_the_database_says_so_in_one_line(tmp_path: Path) -> None:
    line = one_line(circles("tick", cwd=tmp_path, database_url=f"sqlite:///{tmp_path}"))
    assert f"{tmp_path} is a folder, not a database file" in line


def test_db_upgrade_under_a_regular_file_says_the_path_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("not a folder")
    url = f"sqlite:///{tmp_path}/plain.txt/circles.db"
    line = one_line(circles("db", "upgrade", cwd=tmp_path, database_url=url))
    assert f"{tmp_path}/plain.txt is a file, not a folder" in line


def test_db_upgrade_on_a_read_only_database_says_it_is_read_only(tmp_path: Path) -> None:
    # chmod does not stop root from writing; SQLite's own read-only mode does.
    sqlite3.connect(tmp_path / "circles.db").close()
    url = f"sqlite:///file:{tmp_path}/circles.db?mode=ro&uri=true"
    line = one_line(circles("db", "upgrade", cwd=tmp_path, database_url=url))
    assert "read-only" in line


def test_run_with_postgresql_not_listening_says_so_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://circles:hunter2-secret@127.0.0.1:{free_port()}/circles"
    line = one_line(circles("run", cwd=tmp_path, database_url=url))
    assert "cannot connect" in line
    assert "is PostgreSQL running" in line
    assert "hunter2-secret" not in line
    assert "circles:***@127.0.0.1" in line


def test_a_password_given_in_the_query_is_not_printed_either(tmp_path: Path) -> None:
    url = f"postgresql://circles@127.0.0.1:{free_port()}/circles?password=hunter2-secret"
    line = one_line(circles("run", cwd=tmp_path, database_url=url))
    assert "cannot connect" in line
    assert "hunter2-secret" not in line
    assert "circles?password=***" in line


@pytest.mark.parametrize("url", ["mysql://circles:hunter2-secret@db.internal/circles", "foo://somewhere"])
def test_an_unsupported_kind_of_database_is_named_in_one_line(tmp_path: Path, url: str) -> None:
    for command in (["db", "upgrade"], ["report", "some-cohort", "--out", str(tmp_path / "report")]):
        line = one_line(circles(*command, cwd=tmp_path, database_url=url))
        assert "databases are not supported" in line
        assert "hunter2-secret" not in line


def test_debug_shows_the_full_traceback(tmp_path: Path) -> None:
    result = circles("--debug", "db", "upgrade", cwd=tmp_path, database_url=f"sqlite:///{tmp_path}")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
