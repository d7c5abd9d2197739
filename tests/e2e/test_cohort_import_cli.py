"""`circles cohort import FILE` as a person runs it: a real process, a SQLite file, the Slack stand-in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from standin import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.harness import free_port, run_circles

TOKEN = "xoxb-import-token"


def circles_import(folder: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return run_circles("cohort", "import", *args, cwd=folder, timeout=60, **settings)


def write_file(folder: Path, members: list[str], settings: str = "") -> Path:
    path = folder / "cohort.yml"
    path.write_text(
        "cohort:\n  slug: pgy1-spring\n  name: PGY-1 residents, spring\n  pairing: coach_learner\n"
        f"  facilitators: [U0FAC1, lee@hospital.org]\n{settings}members:\n"
        + "".join(f"  - {member}\n" for member in members)
    )
    return path


def residents(count: int) -> list[str]:
    return [
        f"{{email: resident{n}@hospital.org, role: {'coach' if n < 5 else 'learner'}, department: Medicine}}"
        for n in range(count)
    ]


TABLES = ("workspaces", "cohorts", "facilitators", "members", "profiles")


def counts(folder: Path) -> dict[str, int]:
    """The rows of each table the import writes; none at all where no database was made (a dry run's)."""
    if not (folder / "circles.db").exists():
        return dict.fromkeys(TABLES, 0)
    engine = create_engine(f"sqlite:///{folder / 'circles.db'}")
    with engine.connect() as connection:
        found = {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES
        }
    engine.dispose()
    return found


@pytest.fixture
def slack(standin: SlackStandIn) -> dict[str, str]:
    """A workspace with two facilitators and sixty residents, and the settings to reach it."""
    standin.add_user("U0FAC1", email="fac1@hospital.org")
    standin.add_user("U0LEE", email="lee@hospital.org")
    for n in range(60):
        standin.add_user(f"U0R{n:03d}", email=f"resident{n}@hospital.org", tz="America/Chicago")
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": standin.api_url}


@pytest.mark.early
def test_fifty_members_by_email_are_created_then_updated_without_duplicates(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = str(write_file(tmp_path, residents(50)))
    dry = circles_import(tmp_path, path, "--dry-run", **slack)
    assert dry.returncode == 0, dry.stderr
    assert "members added: 50" in dry.stdout
    assert "nothing was written" in dry.stdout
    assert counts(tmp_path)["members"] == 0
    assert (
        len(standin.calls("users.lookupByEmail")) == 51
    )  # each email once: 50 residents and one facilitator

    migrated_sqlite_url(tmp_path)  # its schema made once for the run: the import is under test, not migrating
    created = circles_import(tmp_path, path, **slack)
    assert created.returncode == 0, created.stderr
    assert "+ member U0R007 (resident7@hospital.org) as learner" in created.stdout
    assert counts(tmp_path) == {
        "workspaces": 1,
        "cohorts": 1,
        "facilitators": 2,
        "members": 50,
        "profiles": 50,
    }

    again = circles_import(tmp_path, path, **slack)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().splitlines()[-1] == "no changes: the cohort already matches the file"

    changed = residents(51)
    changed[7] = "{email: resident7@hospital.org, role: coach, department: Medicine}"
    write_file(tmp_path, changed, settings="  circle_size: {min: 5}\n")
    updated = circles_import(tmp_path, path, **slack)
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.splitlines()[1:5] == [
        "  ~ circle_size.min: 4 → 5",
        "  ~ member U0R007 (resident7@hospital.org): role learner → coach",
        "  + member U0R050 (resident50@hospital.org) as learner; "
        "profile: email, display_name, timezone, department",
        "settings changed: 1, roles changed: 1, members added: 1, profiles changed: 1",
    ]
    assert counts(tmp_path)["members"] == 51
    assert "Traceback" not in updated.stderr


def test_bad_yaml_is_one_line_naming_the_file_and_line_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text("cohort:\n  slug: pgy1-spring\n  facilitators: [U0FAC1\n  name: PGY-1\n")
    result = circles_import(tmp_path, str(path))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"circles: {path}:4: yaml: not valid YAML: ")
    assert result.stdout == ""
    assert not (tmp_path / "circles.db").exists()


def test_out_of_range_settings_give_one_line_each_and_exit_2(tmp_path: Path, slack: dict[str, str]) -> None:
    path = write_file(
        tmp_path, residents(2), settings="  circle_size: {min: 4, max: 30}\n  health: {low_rating: 0}\n"
    )
    result = circles_import(tmp_path, str(path), **slack)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}:6: circle_size.max: a circle has between 2 and 12 people (got 30)",
        f"circles: {path}:7: health.low_rating: use a whole number from 1 to 4 (got 0)",
    ]
    assert not (tmp_path / "circles.db").exists()


def test_an_unknown_or_deactivated_email_names_its_line_and_nothing_is_imported(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    standin.add_user("U0GONE", email="gone@hospital.org", deleted=True)
    members = [
        *residents(2),
        "{email: nobody@hospital.org, role: learner}",
        "{email: gone@hospital.org, role: learner}",
    ]
    path = write_file(tmp_path, members)
    result = circles_import(tmp_path, str(path), **slack)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}:9: email: no active Slack user has the email nobody@hospital.org",
        f"circles: {path}:10: email: no active Slack user has the email gone@hospital.org",
    ]
    assert not (tmp_path / "circles.db").exists()


def test_user_ids_are_checked_with_users_info_and_a_missing_one_names_its_line(
    tmp_path: Path, standin: SlackStandIn, slack: dict[str, str]
) -> None:
    path = write_file(tmp_path, ["{user: U0R001, role: learner}", "{user: U0NOBODY, role: learner}"])
    result = circles_import(tmp_path, str(path), **slack)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"circles: {path}:8: user: no Slack user U0NOBODY"]
    assert {call.args["user"] for call in standin.calls("users.info")} == {"U0FAC1", "U0R001", "U0NOBODY"}


def test_a_file_of_user_ids_imports_with_team_and_no_token_without_asking_slack(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text(
        "cohort: {slug: peers, name: Peer circle, facilitators: [U0FAC1]}\n"
        "members: [{user: U0ANN}, {user: U0BEN}]\n"
    )
    without_team = circles_import(tmp_path, str(path))
    assert without_team.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in without_team.stderr
    result = circles_import(tmp_path, str(path), "--team", "T0HOSP")
    assert result.returncode == 0, result.stderr
    assert "user IDs are taken as given, not checked" in result.stdout
    assert "  + member U0ANN as peer" in result.stdout
    assert counts(tmp_path)["members"] == 2


def test_a_token_slack_refuses_is_one_line_without_the_token(tmp_path: Path, standin: SlackStandIn) -> None:
    standin.valid_tokens = {"xoxb-the-real-one"}
    path = write_file(tmp_path, residents(1))
    result = circles_import(
        tmp_path, str(path), SLACK_BOT_TOKEN="xoxb-revoked", SLACK_API_URL=standin.api_url
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "circles: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): copy it again from OAuth & Permissions"
    ]


@pytest.mark.early  # seconds of the Slack client retrying a connection nobody takes
def test_slack_out_of_reach_is_one_line_without_the_clients_retries(tmp_path: Path) -> None:
    path = write_file(tmp_path, residents(1))
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    result = circles_import(tmp_path, str(path), "--dry-run", SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=nowhere)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"circles: could not reach Slack at {nowhere} (SLACK_API_URL)")
