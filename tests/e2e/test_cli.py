"""`circles run` and `circles db upgrade` as a person runs them: a real process, real HTTP, real databases."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from circles.persistence import migrate
from standin import Signer, SlackStandIn, post
from tests.databases import migrated_sqlite_url, postgres_database
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.harness import circles_run, free_port, run_circles


def test_run_without_credentials_names_each_missing_setting_and_exits(tmp_path: Path) -> None:
    result = run_circles("run", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    assert all(line.startswith("circles: ") and "README.md" in line for line in lines)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "circles.db").exists()  # nothing is created before the settings are sound


def test_run_with_a_malformed_setting_says_which_and_exits(tmp_path: Path) -> None:
    result = run_circles("run", cwd=tmp_path, PORT="eighty")
    assert result.returncode == 2
    assert result.stderr.startswith("circles: PORT: input should be a valid integer")
    assert "Traceback" not in result.stderr


def test_run_with_a_token_slack_refuses_says_so(tmp_path: Path, standin: SlackStandIn) -> None:
    standin.valid_tokens = {"xoxb-the-real-one"}
    migrated_sqlite_url(tmp_path)  # made once for the run: Slack's refusal is under test, not migrating
    result = run_circles(
        "run",
        cwd=tmp_path,
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        PORT=str(free_port()),
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN was refused by Slack" in result.stderr
    assert "xoxb-revoked" not in result.stderr


def test_run_on_a_port_already_in_use_says_so_in_one_line(tmp_path: Path, standin: SlackStandIn) -> None:
    migrated_sqlite_url(tmp_path)  # made once for the run: the port is under test, not migrating
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104 - the app binds all interfaces too
        taken.listen()
        result = run_circles(
            "run",
            cwd=tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=standin.api_url,
            PORT=str(taken.getsockname()[1]),
        )
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if line.startswith("circles: ")]
    assert "cannot listen on PORT" in line
    assert "Traceback" not in result.stderr


@pytest.fixture
def served(tmp_path: Path, standin: SlackStandIn) -> Iterator[str]:
    """`circles run` in HTTP mode against the stand-in, with the SQLite default in a fresh folder."""
    with circles_run(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
    ) as base_url:
        yield base_url


def test_run_serves_slack_and_health_on_a_fresh_sqlite_database(
    served: str, standin: SlackStandIn, tmp_path: Path
) -> None:
    signer = Signer(SIGNING_SECRET, standin=standin)
    with urllib.request.urlopen(f"{served}/healthz", timeout=5) as response:  # noqa: S310
        assert response.read().splitlines()[0] == b"ok"
    status, _, _ = post(f"{served}/slack/events", signer.slash_command("help", user_id="U0MEMBER"))
    assert status == 200
    [answer] = standin.wait_for("response_url", timeout=10)
    assert answer.args["response_type"] == "ephemeral"
    assert "/circles join" in str(answer.args["blocks"])
    for request in (
        signer.slash_command("help", user_id="U0MEMBER").without_signature(),
        signer.slash_command("help", user_id="U0MEMBER", timestamp=int(time.time()) - 600),
    ):
        assert post(f"{served}/slack/events", request)[0] == 401
    assert "outbox" in inspect(create_engine(f"sqlite:///{tmp_path / 'circles.db'}")).get_table_names()


@pytest.mark.postgres
def test_db_upgrade_creates_the_schema_on_an_empty_postgresql_database_and_is_harmless_twice(
    tmp_path: Path,
) -> None:
    with postgres_database() as url:
        first = run_circles("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)
        second = run_circles("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)
        engine = create_engine(url.replace("postgresql+psycopg", "postgresql+psycopg", 1))
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
    assert first.returncode == 0, first.stderr
    head = migrate.head_revision()
    assert f"upgraded empty → {head}" in first.stdout
    assert second.returncode == 0, second.stderr
    assert f"already at {head}" in second.stdout
    assert {
        "workspaces",
        "cohorts",
        "members",
        "outbox",
        "slack_installations",
        "slack_oauth_states",
    } <= tables


@pytest.mark.postgres
def test_db_upgrade_does_not_print_a_password_given_in_the_query(tmp_path: Path) -> None:
    with postgres_database() as url:
        secret = "hunter2-secret"  # taken by the driver; the test server trusts its user, so any will do
        first = run_circles("db", "upgrade", cwd=tmp_path, DATABASE_URL=f"{url}?password={secret}")
        second = run_circles("db", "upgrade", cwd=tmp_path, DATABASE_URL=f"{url}?password={secret}")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for printed in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert secret not in printed
    assert "?password=***: already at" in second.stdout


@pytest.mark.postgres
def test_run_refuses_a_postgresql_database_whose_schema_is_behind(tmp_path: Path) -> None:
    with postgres_database() as url:
        result = run_circles(
            "run",
            cwd=tmp_path,
            DATABASE_URL=url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
        )
    assert result.returncode == 2
    assert "run `circles db upgrade` first" in result.stderr
