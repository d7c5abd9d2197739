"""`circles report SLUG --out DIR` as a person runs it: a real process against a SQLite file."""

from __future__ import annotations

import csv
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from circles.notes import NoteCipher
from circles.persistence.db import Database
from tests import report_world as w
from tests.databases import migrated_sqlite_url
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, environment

NOTES_KEY = Fernet.generate_key().decode()
NOW = w.START + timedelta(weeks=4, days=2, hours=12)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A database holding the seeded cohort (and another workspace), notes sealed with the real key."""
    db = Database(migrated_sqlite_url(tmp_path))
    with db.unit_of_work() as uow:
        w.build(uow.session, sealer=NoteCipher(NOTES_KEY.encode()).encrypt)
        uow.commit()
    db.dispose()
    return tmp_path


def circles_report(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return processes.run(
        [*CIRCLES, "report", *args, "--now", NOW.isoformat()],
        cwd=folder,
        env=environment(DATABASE_URL=f"sqlite:///{folder / 'circles.db'}", CIRCLES_NOTES_KEY=NOTES_KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )


def figures(path: Path) -> dict[str, str]:
    with path.open(newline="") as file:
        return {row["figure"]: row["value"] for row in csv.DictReader(file)}


def test_the_report_is_written_as_csv_files_charts_and_a_page_that_shows_them(folder: Path) -> None:
    result = circles_report(folder, "pgy1", "--team", "T0001", "--out", "out")
    assert result.returncode == 0, result.stderr
    out = folder / "out"
    written = sorted(path.name for path in out.iterdir())
    assert written == sorted(
        [
            *(f"{name}.csv" for name in ("summary", "members", "participation", "checkins")),
            *(f"{name}.csv" for name in ("states_by_week", "escalations", "endings", "circles")),
            *("states_by_week.png", "checkins.png", "participation.png", "index.html"),
        ]
    )
    assert all((out / name).read_bytes().startswith(b"\x89PNG") for name in written if name.endswith(".png"))
    summary = figures(out / "summary.csv")
    assert (summary["members_joined"], summary["members_left"], summary["retention"]) == ("6", "1", "0.8333")
    assert (summary["checkins_due"], summary["checkins_answered"]) == ("8", "5")
    assert (summary["escalations_opened"], summary["median_first_response_hours"]) == ("3", "2.00")
    assert (summary["partnerships_completed"], summary["partnerships_ended_early"]) == ("1", "2")
    assert (summary["prompts_sent"], summary["prompts_missed"]) == ("4", "1")
    page = (out / "index.html").read_text()
    assert page.count('<img src="data:image/png;base64,') == 3
    assert "://" not in page  # nothing to fetch: it opens offline
    for user in (*w.PEOPLE, w.FACILITATOR):
        assert user not in page + "".join(path.read_text() for path in out.glob("*.csv"))
    assert "out/index.html" in result.stdout
    assert "check-ins answered: 5 of 8" in result.stdout


def test_individual_rows_are_written_for_a_facilitator_with_shared_notes_only(folder: Path) -> None:
    result = circles_report(
        folder, "pgy1", "--team", "T0001", "--out", "out", "--individual", "--as", "U0FAC"
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((folder / "out" / "individual.csv").open(newline="")))
    assert [(row["first_user_id"], row["second_user_id"]) for row in rows][:2] == [
        ("U0C1", "U0L1"),
        ("U0C2", "U0L2"),
    ]
    assert w.SHARED_NOTE in rows[0]["shared_notes"]
    everything = "".join(path.read_text() for path in (folder / "out").glob("*.csv"))
    assert w.PRIVATE_NOTE not in everything + (folder / "out" / "index.html").read_text()
    assert w.PRIVATE_NOTE not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--individual",), "circles: --individual names people: add --as <your Slack user ID>"),
        (("--individual", "--as", "U0L1"), "circles: U0L1 is not a facilitator of pgy1"),
        (("--individual", "--as", "U0FAC2"), "circles: U0FAC2 is not a facilitator of pgy1"),
    ],
)
def test_individual_rows_are_refused_to_anyone_but_a_facilitator_and_nothing_is_written(
    folder: Path, args: tuple[str, ...], line: str
) -> None:
    result = circles_report(folder, "pgy1", "--team", "T0001", "--out", "out", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(line)
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (folder / "out").exists()


def test_an_unknown_cohort_is_named_in_one_line(folder: Path) -> None:
    result = circles_report(folder, "pgy2", "--team", "T0001", "--out", "out")
    assert result.returncode == 2
    assert result.stderr == "circles: no cohort pgy2 in workspace T0001 (did you mean pgy1?)\n"
    assert "Traceback" not in result.stderr


def test_without_team_a_database_of_several_workspaces_asks_which(folder: Path) -> None:
    result = circles_report(folder, "pgy1", "--out", "out")
    assert result.returncode == 2
    assert result.stderr == (
        "circles: the database holds several workspaces (T0001, T0OTHER): name one with --team\n"
    )


def test_several_cohorts_are_written_side_by_side_and_individual_rows_stay_one_cohort_at_a_time(
    folder: Path,
) -> None:
    result = circles_report(folder, "pgy1", "other", "--team", "T0001", "--out", "out")
    assert result.returncode == 0, result.stderr
    page = (folder / "out" / "index.html").read_text()
    assert "Cohorts side by side" in page
    assert "PGY-1 residents" in page
    assert "Another cohort" in page
    assert (folder / "out" / "pgy1" / "summary.csv").exists()
    assert "open out/index.html in a browser to compare them" in result.stdout
    refused = circles_report(folder, "pgy1", "other", "--out", "out", "--individual", "--as", "U0FAC")
    assert refused.returncode == 2
    assert "one cohort at a time" in refused.stderr


def test_a_cohort_named_twice_is_reported_once_not_beside_itself(folder: Path) -> None:
    result = circles_report(folder, "pgy1", "pgy1", "--team", "T0001", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert (folder / "out" / "summary.csv").exists()
    assert "Cohorts side by side" not in (folder / "out" / "index.html").read_text()


def test_a_cohort_named_again_in_another_case_is_still_one_cohort(folder: Path) -> None:
    result = circles_report(folder, "pgy1", "PGY1", "--team", "T0001", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert (folder / "out" / "summary.csv").exists()
    assert "Cohorts side by side" not in (folder / "out" / "index.html").read_text()


def test_a_facilitator_naming_a_cohort_they_do_not_run_beside_theirs_is_refused_and_nothing_is_written(
    folder: Path,
) -> None:
    result = circles_report(folder, "pgy1", "other", "--team", "T0001", "--out", "out", "--as", "U0FAC")
    assert result.returncode == 2
    assert result.stderr.startswith("circles: U0FAC is not a facilitator of other")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Another cohort" not in result.stdout + result.stderr
    assert not (folder / "out").exists()
