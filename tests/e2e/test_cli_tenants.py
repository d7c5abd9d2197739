"""Which tenant a command line works on, among hundreds: in OAuth mode a --team with no installation is
refused before anything is written, and a command not told which says where the cohort is in one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

from circles.persistence.db import Database
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import NOTES_KEY
from tests.e2e.harness import run_circles, stored

OAUTH = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh", "SLACK_SIGNING_SECRET": "s"}
COHORT = (
    "cohort: {slug: peers, name: Peer circle, pairing: peer, timezone: America/Chicago, "
    "facilitators: [U0FAC1]}\nmembers:\n  - {user: U0ANN}\n  - {user: U0BEN}\n"
)


def circles(folder: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`circles …` run in the folder, on its database (made at the latest schema when there is none)."""
    if not (folder / "circles.db").exists():
        migrated_sqlite_url(folder)
    url = f"sqlite:///{folder / 'circles.db'}"
    return run_circles(
        *args, cwd=folder, timeout=60, CIRCLES_NOTES_KEY=NOTES_KEY, DATABASE_URL=url, **settings
    )


def with_workspaces(folder: Path, count: int, holding: range = range(0)) -> None:
    """`count` workspaces in the folder's database, those in `holding` with a cohort pgy1."""
    db = Database(migrated_sqlite_url(folder))
    with db.unit_of_work() as uow:
        for n in range(count):
            workspace = factories.workspace(uow.session, f"T{n:08d}")
            if n in holding:
                factories.cohort(uow.session, workspace, "pgy1")
        uow.commit()
    db.dispose()


def test_in_oauth_mode_importing_into_a_team_with_no_installation_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "cohort.yml").write_text(COHORT)

    result = circles(tmp_path, "cohort", "import", "cohort.yml", "--team", "T0TYPO", **OAUTH)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "circles: no installation of workspace T0TYPO in this database: install Circles there first"
    ]
    assert stored(tmp_path, "SELECT team_id FROM workspaces") == []
    assert stored(tmp_path, "SELECT count(*) FROM members") == [(0,)]


def test_in_oauth_mode_rotations_for_a_team_with_no_installation_are_refused(tmp_path: Path) -> None:
    (tmp_path / "rota.csv").write_text("email,start,end\nann@example.org,2027-01-04,2027-01-10\n")

    result = circles(tmp_path, "cohort", "rotations", "peers", "rota.csv", "--team", "E0TYPO", **OAUTH)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "circles: no installation of organisation E0TYPO in this database: install Circles there first"
    ]
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]


def test_without_oauth_a_team_with_no_token_still_takes_the_files_user_ids_as_given(tmp_path: Path) -> None:
    (tmp_path / "cohort.yml").write_text(COHORT)

    result = circles(tmp_path, "cohort", "import", "cohort.yml", "--team", "T0HOSP")

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path, "SELECT team_id FROM workspaces") == [("T0HOSP",)]


def test_among_hundreds_of_workspaces_none_with_the_cohort_is_said_in_one_short_line(tmp_path: Path) -> None:
    with_workspaces(tmp_path, 400)

    result = circles(tmp_path, "export", "pgy1", "--research", "--out", "x.zip")

    assert result.returncode == 2
    assert (
        result.stderr == "circles: the database holds 400 workspaces, none with cohort pgy1: check the name\n"
    )
    assert not (tmp_path / "x.zip").exists()


def test_among_hundreds_of_workspaces_a_few_that_have_the_cohort_are_named_and_none_is_picked(
    tmp_path: Path,
) -> None:
    with_workspaces(tmp_path, 400, holding=range(100, 112))

    result = circles(tmp_path, "report", "pgy1", "--out", "out")

    assert result.returncode == 2
    assert result.stderr == (
        "circles: the database holds 400 workspaces; cohort pgy1 is in T00000100, T00000101, T00000102, "
        "T00000103, T00000104 and 7 more: name one with --team\n"
    )
    assert not (tmp_path / "out").exists()
