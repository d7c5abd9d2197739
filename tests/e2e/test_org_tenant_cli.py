"""The command line for an organisation installed org-wide: `--team E…` imports, rotations and exports
for the organisation's one tenant, across its workspaces, as a real process on SQLite with the stand-in."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import create_engine

from standin import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import NOTES_KEY
from tests.e2e.harness import run_circles, stored

ORG, EAST, WEST = "E0ORG", "T0EAST", "T0WEST"
ORG_TOKEN = "xoxb-org-wide-token"
PEOPLE = {"U0FAC1": EAST, "U0ANN": EAST, "U0BEN": WEST, "U0CAT": WEST}


def circles(folder: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return run_circles(*args, cwd=folder, timeout=60, CIRCLES_NOTES_KEY=NOTES_KEY, **settings)


@pytest.fixture
def schema(tmp_path: Path) -> None:
    """The database at the latest schema, made once for the run: the commands are under test, not
    migrating a new file."""
    migrated_sqlite_url(tmp_path)


def write_cohort(folder: Path, members: list[str]) -> str:
    path = folder / "cohort.yml"
    path.write_text(
        "cohort: {slug: peers, name: Peer circle, pairing: peer, timezone: America/Chicago, "
        "facilitators: [U0FAC1]}\nmembers:\n" + "".join(f"  - {member}\n" for member in members)
    )
    return str(path)


@pytest.fixture
def org(standin: SlackStandIn) -> dict[str, str]:
    """An organisation of two workspaces, its people in both, and its org-wide bot token."""
    standin.add_organisation(ORG)
    for team in (EAST, WEST):
        standin.add_team(team, enterprise_id=ORG)
    for user, team in PEOPLE.items():
        standin.add_user(user, email=f"{user[2:].lower()}@org.example", team_id=team)
    standin.add_user("U0ELSE", email="else@org.example")  # the stand-in's own workspace: not the org's
    standin.add_token(ORG_TOKEN, team_id=ORG)
    return {"SLACK_BOT_TOKEN": ORG_TOKEN, "SLACK_API_URL": standin.api_url}


def test_a_cohort_of_user_ids_is_the_organisations_with_team_e_and_no_token(
    tmp_path: Path, schema: None
) -> None:
    path = write_cohort(tmp_path, ["{user: U0ANN}", "{user: U0BEN}"])
    result = circles(tmp_path, "cohort", "import", path, "--team", ORG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"organisation {ORG} from --team; no SLACK_BOT_TOKEN, so user IDs are taken as given, not checked",
        f"cohort peers in organisation {ORG}",
    ]
    assert stored(tmp_path, "SELECT team_id, kind FROM workspaces") == [(ORG, "org")]
    assert stored(tmp_path, "SELECT slack_user_id FROM members ORDER BY 1") == [("U0ANN",), ("U0BEN",)]


def test_with_the_org_token_people_of_every_workspace_are_found_by_email_and_id(
    tmp_path: Path, standin: SlackStandIn, org: dict[str, str], schema: None
) -> None:
    path = write_cohort(tmp_path, ["{email: ann@org.example}", "{email: ben@org.example}", "{user: U0CAT}"])
    result = circles(tmp_path, "cohort", "import", path, "--team", ORG, **org)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"cohort peers in organisation {ORG}"
    assert "  + member U0BEN (ben@org.example) as peer" in result.stdout
    assert stored(tmp_path, "SELECT team_id, kind FROM workspaces") == [(ORG, "org")]
    assert len(standin.calls("users.lookupByEmail")) == 2

    without_team = circles(tmp_path, "cohort", "import", path, **org)  # the token says whose it is
    assert without_team.returncode == 0, without_team.stderr
    assert without_team.stdout.splitlines()[-1] == "no changes: the cohort already matches the file"

    outsider = write_cohort(tmp_path, ["{email: else@org.example}"])
    refused = circles(tmp_path, "cohort", "import", outsider, "--team", ORG, **org)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"circles: {outsider}:3: email: no active Slack user has the email else@org.example"
    ]

    other = circles(tmp_path, "cohort", "import", path, "--team", EAST, **org)
    assert other.returncode == 2
    assert other.stderr.splitlines() == [
        f"circles: --team {EAST} does not match SLACK_BOT_TOKEN, which belongs to organisation {ORG}"
    ]


def test_an_oauth_install_is_found_by_its_organisation_in_the_installation_store(
    tmp_path: Path, standin: SlackStandIn, org: dict[str, str]
) -> None:
    engine = create_engine(migrated_sqlite_url(tmp_path))
    SQLAlchemyInstallationStore(client_id="111.222", engine=engine).save(
        Installation(
            app_id="A0APP",
            enterprise_id=ORG,
            team_id=None,
            is_enterprise_install=True,
            bot_token=ORG_TOKEN,
            bot_user_id="U0BOT",
            user_id="U0ADMIN",
        )
    )
    engine.dispose()
    oauth = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh", "SLACK_API_URL": standin.api_url}
    path = write_cohort(tmp_path, ["{email: ann@org.example}", "{email: cat@org.example}"])
    result = circles(tmp_path, "cohort", "import", path, "--team", ORG, **oauth)
    assert result.returncode == 0, result.stderr
    assert "  + member U0CAT (cat@org.example) as peer" in result.stdout
    assert {call.token for call in standin.calls("auth.test")} == {ORG_TOKEN}

    elsewhere = circles(tmp_path, "cohort", "import", path, "--team", "E0OTHER", **oauth)
    assert elsewhere.returncode == 2  # not installed: no token, and only Slack knows who an email is
    assert elsewhere.stderr.splitlines() == [
        f"circles: SLACK_BOT_TOKEN is not set: {path}:3 names someone by email, and only Slack knows who"
    ]
    assert stored(tmp_path, "SELECT team_id FROM workspaces") == [(ORG,)]


def test_rotations_are_imported_for_the_organisations_cohort(
    tmp_path: Path, standin: SlackStandIn, org: dict[str, str], schema: None
) -> None:
    path = write_cohort(tmp_path, ["{user: U0ANN}", "{user: U0BEN}"])
    assert circles(tmp_path, "cohort", "import", path, "--team", ORG, **org).returncode == 0
    rota = tmp_path / "rota.csv"
    rota.write_text(
        "email,start,end\nann@org.example,2027-01-04,2027-01-10\nben@org.example,2027-01-04,2027-01-10\n"
    )
    result = circles(tmp_path, "cohort", "rotations", "peers", str(rota), "--team", ORG, **org)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"cohort peers in organisation {ORG}, dates in America/Chicago",
        "blocks imported: 2 for 2 people",
    ]
    assert stored(tmp_path, "SELECT slack_user_id FROM away_blocks ORDER BY 1") == [("U0ANN",), ("U0BEN",)]

    unknown = circles(tmp_path, "cohort", "rotations", "peer", str(rota), "--team", ORG)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith(f"circles: no cohort peer in organisation {ORG}")


def test_the_research_export_picks_the_only_organisation_and_lists_tenants_when_there_are_several(
    tmp_path: Path, schema: None
) -> None:
    path = write_cohort(tmp_path, ["{user: U0ANN}", "{user: U0BEN}"])
    assert circles(tmp_path, "cohort", "import", path, "--team", ORG).returncode == 0
    picked = circles(tmp_path, "export", "peers", "--research", "--out", "peers.zip")
    assert picked.returncode == 0, picked.stderr
    assert "people included: 0, left out without consent: 2" in picked.stdout
    assert zipfile.is_zipfile(tmp_path / "peers.zip")
    named = circles(tmp_path, "export", "peers", "--research", "--out", "named.zip", "--team", ORG)
    assert named.returncode == 0, named.stderr

    assert circles(tmp_path, "cohort", "import", path, "--team", "T0HOSP").returncode == 0
    several = circles(tmp_path, "export", "peers", "--research", "--out", "again.zip")
    assert several.returncode == 2
    assert several.stderr.splitlines() == [
        f"circles: the database holds several workspaces and organisations ({ORG}, T0HOSP): "
        "name one with --team"
    ]
    assert not (tmp_path / "again.zip").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["cohort", "import", "cohort.yml"],
        ["cohort", "rotations", "peers", "rota.csv"],
        ["export", "peers", "--research", "--out", "peers.zip"],
        ["report", "peers", "--out", "report"],
    ],
)
@pytest.mark.parametrize("team", ["U0ANN", "e0org", "T0-HOSP"])
def test_a_malformed_team_is_one_line_and_exit_2(tmp_path: Path, command: list[str], team: str) -> None:
    write_cohort(tmp_path, ["{user: U0ANN}"])
    (tmp_path / "rota.csv").write_text("email,start,end\n")
    result = circles(tmp_path, *command, "--team", team)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: --team {team}: a workspace ID looks like T012AB3CD, an organisation's like E012AB3CD"
    ]
    assert result.stdout == ""
    assert not (tmp_path / "peers.zip").exists()
