"""`circles cohort rotations` of a rota naming thousands of people whose profiles hold no email reads the
workspace's people from Slack's users.list, as `circles cohort import` does: the calls grow with pages,
not people; the rows it cannot place are refused as when each email is asked about; a long look-up says
how far it is, with counts only."""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.cli_import import cohort_import
from bot.cli_rotations import cohort_rotations
from circles.settings import Settings
from standin import SlackStandIn
from standin.defaults import DEFAULT_TEAM_ID
from tests.databases import migrated_sqlite_url
from tests.e2e.harness import stored
from tests.e2e.test_cohort_import_lookup import (
    EAST,
    ORG,
    ORG_TOKEN,
    WEST,
    cohort_text,
    hospital,
    organisation_of_400,
    settings,
)

__all__ = ["hospital"]  # the fixture: a workspace of 3,400 people and a few odd ones

Y = date.today().year + 1
MEMBERS = 3_000
ODD = [  # rota emails it cannot place, each a member's account or someone of the workspace
    "gone@hospital.org",  # a member whose account is deactivated
    "u0robot@example.com",  # a member who is a bot
    "else@elsewhere.org",  # a member of another workspace
    "nobody@hospital.org",  # nobody's
    "person3300@hospital.org",  # someone of the workspace, not a member
]
REFUSED = [
    "row 2: unknown email: no one in Slack has the email gone@hospital.org",
    "row 3: unknown email: no one in Slack has the email u0robot@example.com",
    "row 4: unknown email: no one in Slack has the email else@elsewhere.org",
    "row 5: unknown email: no one in Slack has the email nobody@hospital.org",
    "row 6: not a member: person3300@hospital.org (U003300) is not a member of pgy1",
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort of 3,000 of the workspace's people and the odd ones, imported by user ID without a token:
    no profile holds an email, so every email of a rota is Slack's to answer. Imported once (without a
    token the import asks Slack nothing); each test works on a copy of the database."""
    folder = tmp_path_factory.mktemp("imported")
    ids = [f"U{n:06d}" for n in range(MEMBERS)] + ["U0GONEMAIL", "U0ROBOT", "U0ELSEWHERE", "U0MIXED"]
    path = folder / "cohort.yml"
    path.write_text(cohort_text([f"{{user: {user}}}" for user in ids]))
    no_token = Settings(_env_file=None, slack_bot_token=None, database_url=migrated_sqlite_url(folder))
    args = argparse.Namespace(file=str(path), team=DEFAULT_TEAM_ID, dry_run=False)
    assert cohort_import(no_token, args) == 0
    return folder / "circles.db"


@pytest.fixture
def cohort(hospital: SlackStandIn, imported: Path, tmp_path: Path) -> SlackStandIn:
    """The workspace, and in `tmp_path` the database of its cohort of 3,000 (see `imported`)."""
    assert hospital.team_id == DEFAULT_TEAM_ID
    shutil.copyfile(imported, tmp_path / "circles.db")
    return hospital


def rota(folder: Path, emails: list[str]) -> Path:
    """A rota of a block for each email, in the order given (the first on row 2)."""
    path = folder / "rota.csv"
    blocks = "".join(f"{email},{Y}-01-04,{Y}-01-31,rotation\n" for email in emails)
    path.write_text("email,start,end,kind\n" + blocks)
    return path


def arguments(path: Path) -> argparse.Namespace:
    return argparse.Namespace(slug="pgy1", file=str(path), team=None, dry_run=False)


def split(err: str, path: Path) -> tuple[list[str], list[str]]:
    """The rows refused, and the other lines on stderr: each says how far the look-up is."""
    row = f"circles: {path}:"
    lines = err.splitlines()
    progress = [line for line in lines if not line.startswith(row)]
    assert all(line.startswith("circles: looking up ") for line in progress), progress
    return [line.removeprefix(row) for line in lines if line.startswith(row)], progress


def residents(numbers: range) -> list[str]:
    return [f"person{n}@hospital.org" for n in numbers]


def test_a_rota_of_three_thousand_is_looked_up_a_page_at_a_time_with_progress_without_names(
    tmp_path: Path, cohort: SlackStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort.clear()
    path = rota(tmp_path, [*ODD, *residents(range(MEMBERS)), "MIXED.case@HOSPITAL.org"])
    assert cohort_rotations(settings(cohort, tmp_path), arguments(path)) == 1
    out, err = capsys.readouterr()
    assert "blocks imported: 3001 for 3001 people" in out
    refused, progress = split(err, path)
    assert refused == REFUSED
    # 3,406 people 200 a page, read to the end to be sure of those it does not hold; then the two it does
    # not hold asked about (a deactivated account's email is not: Slack finds none by it either).
    assert len(cohort.calls("users.list")) == 18
    assert sorted(call.args["email"] for call in cohort.calls("users.lookupByEmail")) == [
        "else@elsewhere.org",
        "nobody@hospital.org",
    ]
    assert cohort.calls("users.info") == []
    assert progress[0] == "circles: looking up 3,006 people in Slack from the workspace's list of people …"
    assert progress[-1] == "circles: looking up 3,006 people in Slack: 2 of 2 asked …"
    assert not [line for line in progress if "@" in line or "U0" in line]
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks WHERE slack_user_id = 'U0MIXED'") == [(1,)]


def test_the_rows_it_cannot_place_are_refused_alike_from_the_listing_and_asked_about_one_by_one(
    tmp_path: Path, cohort: SlackStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort.clear()
    few = rota(tmp_path, [*ODD, *residents(range(50))])
    assert cohort_rotations(settings(cohort, tmp_path), arguments(few)) == 1
    few_refused, few_progress = split(capsys.readouterr().err, few)
    assert (few_refused, few_progress) == (REFUSED, [])  # a small rota says nothing while it asks
    assert cohort.calls("users.list") == []
    assert len(cohort.calls("users.lookupByEmail")) == 55

    many = rota(tmp_path, [*ODD, *residents(range(MEMBERS))])
    assert cohort_rotations(settings(cohort, tmp_path), arguments(many)) == 1
    many_refused, _ = split(capsys.readouterr().err, many)
    assert many_refused == few_refused
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(MEMBERS,)]


def test_an_organisations_rota_is_looked_up_workspace_by_workspace_with_its_org_wide_token(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    organisation_of_400(standin)
    path = tmp_path / "cohort.yml"
    path.write_text(cohort_text([f"{{user: U{n:06d}}}" for n in range(400)]))
    no_token = settings(standin, tmp_path).model_copy(update={"slack_bot_token": None})
    assert cohort_import(no_token, argparse.Namespace(file=str(path), team=ORG, dry_run=False)) == 0

    org_wide = settings(standin, tmp_path).model_copy(update={"slack_bot_token": SecretStr(ORG_TOKEN)})
    assert cohort_rotations(org_wide, arguments(rota(tmp_path, residents(range(400))))) == 0
    # East's 200 people and its app's bot user, then West's first page: everyone is found, so no more.
    assert [call.args.get("team_id") for call in standin.calls("users.list")] == [EAST, EAST, WEST]
    assert standin.calls("users.lookupByEmail") == []
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(400,)]
