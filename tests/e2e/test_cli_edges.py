"""`circles` at its edges, as an operator meets them: instants far from any programme, a database a newer
Circles upgraded, an export aimed at something that is not a file, and a tick with only what sending needs.
Each is one line and exit status 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from standin import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.harness import http_get, run_circles, served_in_thread


@pytest.mark.parametrize("now", ["0001-01-01T00:00Z", "9999-12-31T23:59Z", "1969-12-31T23:00Z"])
def test_a_tick_at_an_instant_no_programme_reaches_is_refused_in_one_line(tmp_path: Path, now: str) -> None:
    ticked = run_circles(
        "tick", "--now", now, cwd=tmp_path, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN=BOT_TOKEN
    )
    assert ticked.returncode == 2
    assert "give an instant from 1970 to 2999" in ticked.stderr
    assert "Traceback" not in ticked.stderr


def test_a_tick_needs_only_the_bot_token_as_a_worker_does(tmp_path: Path, standin: SlackStandIn) -> None:
    url = migrated_sqlite_url(tmp_path)
    ticked = run_circles(
        "tick",
        "--now",
        "2027-01-04T15:00Z",
        cwd=tmp_path,
        DATABASE_URL=url,
        SLACK_API_URL=standin.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
    )
    assert ticked.returncode == 0, ticked.stderr
    assert "SLACK_SIGNING_SECRET" not in ticked.stderr


def newer(tmp_path: Path) -> str:
    """A SQLite database a later Circles has upgraded past every migration this one knows."""
    url = migrated_sqlite_url(tmp_path)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    return url


@pytest.mark.parametrize("command", [["db", "upgrade"], ["tick"], ["report", "pgy1", "--out", "r"]])
def test_a_database_from_a_newer_circles_is_named_so_in_one_line(tmp_path: Path, command: list[str]) -> None:
    url = newer(tmp_path)
    ran = run_circles(
        *command,
        cwd=tmp_path,
        DATABASE_URL=url,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
    )
    assert ran.returncode == 2
    assert ran.stderr == (
        "circles: the database was upgraded by a newer version of Circles (schema 0999): "
        "run that version, or restore the backup taken before it\n"
    )


def test_healthz_says_the_schema_is_newer_rather_than_behind(tmp_path: Path) -> None:
    from bot.web import CirclesWsgi
    from circles.persistence.db import Database

    db = Database(newer(tmp_path))
    try:
        with served_in_thread(CirclesWsgi(db)) as base_url:
            assert http_get(f"{base_url}/healthz") == (503, b"unhealthy: database schema newer\n")
    finally:
        db.dispose()


@pytest.mark.parametrize("target", ["a-folder.zip", "/dev/null"])
def test_an_export_aimed_at_something_not_a_file_writes_nothing_even_with_force(
    tmp_path: Path, target: str
) -> None:
    (tmp_path / "a-folder.zip").mkdir()
    ran = run_circles("export", "pgy1", "--research", "--out", target, "--force", cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr == f"circles: {target} is not a file: name the ZIP file to write\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.zip"]
    assert list((tmp_path / "a-folder.zip").iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["report", "pgy1", "--team", "T0001", "--out", "r"],
        ["export", "pgy1", "--research", "--team", "T0001", "--out", "x.zip"],
        ["cohort", "rotations", "pgy1", "rota.csv", "--team", "T0001"],
    ],
)
def test_a_command_run_away_from_its_database_leaves_no_empty_one_behind(
    tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "rota.csv").write_text("email,start,end,kind\n")
    ran = run_circles(*command, cwd=tmp_path)
    assert ran.returncode == 2
    missing = tmp_path.resolve() / "circles.db"
    assert (
        ran.stderr
        == f"circles: no database at {missing}: run this where circles.db is, or set DATABASE_URL\n"
    )
    assert not (tmp_path / "circles.db").exists()


def test_a_dry_run_before_any_database_shows_the_whole_file_as_new_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text(
        "cohort:\n  slug: peers\n  name: Peers\n  pairing: peer\n  facilitators: [U0FAC1]\n"
        "members:\n  - {user: U0ONE, role: peer}\n  - {user: U0TWO, role: peer}\n"
    )
    ran = run_circles("cohort", "import", str(path), "--dry-run", "--team", "T0HOSP", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "+ member U0ONE" in ran.stdout
    assert "+ member U0TWO" in ran.stdout
    assert list(tmp_path.iterdir()) == [path]
