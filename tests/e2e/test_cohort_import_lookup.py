"""`circles cohort import` of thousands of people reads the tenant's people from Slack's users.list, 200 a
page, instead of asking about each one: the calls grow with pages, not people; the refusals are those of
asking one by one; a listing that fails midway still completes; and a long look-up says how far it is."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from bot.cli_import import cohort_import
from bot.cli_import_people import look_up
from bot.slack_client import web_client
from circles.domain.cohort_file import CohortFile, parse_cohort_file
from circles.domain.tenants import Tenant, TenantKind
from circles.settings import Settings
from standin import SlackStandIn
from tests.databases import migrated_sqlite_url, sqlite_url
from tests.unit.test_admin_lookup import FakeSlack, client
from tests.unit.test_cohort_import_strangers import PEOPLE as STRANGERS
from tests.unit.test_cohort_import_strangers import TEAM
from tests.unit.test_cohort_import_strangers import person as slack_user

TOKEN = "xoxb-lookup-token"
WORKSPACE = 3_400  # people in the workspace, the file's 3,000 among them
ODD = [  # people a file may name who cannot take part, and one whose email differs in case
    "{user: U0GONE}",
    "{email: gone@hospital.org}",
    "{user: U0ROBOT}",
    "{user: U0ELSEWHERE}",
    "{email: else@elsewhere.org}",
    "{email: nobody@hospital.org}",
    "{email: MIXED.case@HOSPITAL.org}",
]
REFUSED = [
    "cohort.yml:3: user: U0GONE is a deactivated Slack account",
    "cohort.yml:4: email: no active Slack user has the email gone@hospital.org",
    "cohort.yml:5: user: U0ROBOT is a bot, not a person",
    "cohort.yml:6: user: no Slack user U0ELSEWHERE",
    "cohort.yml:7: email: no active Slack user has the email else@elsewhere.org",
    "cohort.yml:8: email: no active Slack user has the email nobody@hospital.org",
]


@pytest.fixture
def hospital(standin: SlackStandIn) -> SlackStandIn:
    """A workspace of 3,400 people and a few odd ones, and someone of another workspace."""
    for n in range(WORKSPACE):
        standin.add_user(f"U{n:06d}", email=f"person{n}@hospital.org", tz="America/Chicago")
    standin.add_user("U0GONE", email="gone.by.id@hospital.org", deleted=True)
    standin.add_user("U0GONEMAIL", email="gone@hospital.org", deleted=True)
    standin.add_user("U0ROBOT", is_bot=True)
    standin.add_user("U0MIXED", email="Mixed.Case@hospital.org")
    standin.add_team("T0ELSEWHERE")
    standin.add_user("U0ELSEWHERE", email="else@elsewhere.org", team_id="T0ELSEWHERE")
    return standin


def members(numbers: range) -> list[str]:
    """Members named half by email, half by user ID."""
    return [f"{{email: person{n}@hospital.org}}" if n % 2 else f"{{user: U{n:06d}}}" for n in numbers]


def cohort_text(entries: list[str]) -> str:
    return "cohort: {slug: pgy1, name: PGY-1, pairing: peer, facilitators: [U000000]}\nmembers:\n" + "".join(
        f"  - {entry}\n" for entry in entries
    )


def cohort(entries: list[str]) -> CohortFile:
    return parse_cohort_file(cohort_text(entries), "cohort.yml")


def settings(standin: SlackStandIn, tmp_path: Path) -> Settings:
    """The settings of a command run in `tmp_path`; its database, the first time, a copy of the run's
    migrated one: no test here is about a command migrating a new file, which costs more than the rest."""
    fresh = not (tmp_path / "circles.db").exists()
    return Settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_api_url=standin.api_url,
        database_url=migrated_sqlite_url(tmp_path) if fresh else sqlite_url(tmp_path),
    )


def looked_up(standin: SlackStandIn, tmp_path: Path, entries: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Who each entry is, and the problems, as the import finds them in the stand-in's workspace."""
    tenant = Tenant(standin.team_id, TenantKind.TEAM)
    people, problems = look_up(web_client(settings(standin, tmp_path), TOKEN), cohort(entries), tenant)
    return people, [str(problem) for problem in problems]


def asked_one_by_one(standin: SlackStandIn) -> int:
    return len(standin.calls("users.lookupByEmail")) + len(standin.calls("users.info"))


def test_three_thousand_people_are_imported_with_a_call_per_page_and_progress_without_names(
    tmp_path: Path, hospital: SlackStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cohort.yml"
    path.write_text(cohort_text(members(range(3_000))))
    args = argparse.Namespace(file=str(path), team=None, dry_run=False)
    assert cohort_import(settings(hospital, tmp_path), args) == 0
    out, err = capsys.readouterr()
    assert "members added: 3000" in out
    assert "  + member U002999 (person2999@hospital.org) as peer" in out
    pages = hospital.calls("users.list")
    # 3,000 people and the app's own bot user 200 a page; the pages after the last of them are not read.
    assert len(pages) == 16
    assert {call.args["limit"] for call in pages} == {"200"}
    assert asked_one_by_one(hospital) == 0
    progress = err.splitlines()
    assert progress[0] == "circles: looking up 3,000 people in Slack from the workspace's list of people …"
    assert progress[-1] == "circles: looking up 3,000 people in Slack: 3,200 of the workspace's people read …"
    assert not [line for line in progress if "@" in line or "U0" in line]


def test_odd_people_are_refused_alike_from_the_listing_and_when_asked_about_one_by_one(
    tmp_path: Path, hospital: SlackStandIn
) -> None:
    few, few_problems = looked_up(hospital, tmp_path, [*ODD, *members(range(50))])
    assert few_problems == REFUSED
    assert len(hospital.calls("users.list")) == 0  # a small file asks about each person
    many, many_problems = looked_up(hospital, tmp_path, [*ODD, *members(range(3_000))])
    assert many_problems == REFUSED
    assert {key: many[key] for key in few} == few  # the same name, email, time zone and workspace
    assert few["mixed.case@hospital.org"].email == "Mixed.Case@hospital.org"
    assert len(many) == 3_001  # the residents and the one with a mixed-case email
    # The listing is read to its end (18 pages) to be sure of those it does not hold: the two of another
    # workspace and the unknown email are asked about, as Slack Connect people may be found that way; a
    # deactivated account's email is not (users.lookupByEmail does not find those either).
    assert len(hospital.calls("users.list")) == 18
    assert asked_one_by_one(hospital) == 57 + 3  # the small file's 57, then 3 the listing did not hold


def test_a_listing_rate_limited_midway_waits_as_slack_says_and_completes(
    tmp_path: Path, hospital: SlackStandIn
) -> None:
    hospital.fail("users.list", status=429, retry_after=0, after=3)
    people, problems = looked_up(hospital, tmp_path, members(range(3_000)))
    assert problems == []
    assert len(people) == 3_000
    assert [call.status for call in hospital.calls("users.list")] == [200] * 3 + [429] + [200] * 13
    assert asked_one_by_one(hospital) == 0


@pytest.mark.early  # seconds of the Slack client's back-off between its retries
def test_a_listing_slack_fails_midway_is_left_and_the_rest_are_asked_about_one_by_one(
    tmp_path: Path, hospital: SlackStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    hospital.fail("users.list", status=500, times=3, after=2)  # more than the client's retries
    path = tmp_path / "cohort.yml"
    path.write_text(cohort_text(members(range(3_250, 3_400))))
    args = argparse.Namespace(file=str(path), team=None, dry_run=False)
    assert cohort_import(settings(hospital, tmp_path), args) == 0
    out, err = capsys.readouterr()
    assert "members added: 150" in out
    assert (
        "circles: looking up 151 people in Slack: Slack answered internal_error while the list was read: "
        "asking about the 150 not found yet one by one …"
    ) in err.splitlines()
    assert "circles: looking up 151 people in Slack: 150 of 150 asked …" in err.splitlines()
    assert asked_one_by_one(hospital) == 150


def test_a_small_file_in_a_large_workspace_reads_the_list_no_longer_than_asking_about_each_would_take(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    for n in range(9_000):
        standin.add_user(f"U{n:06d}", email=f"person{n}@hospital.org")
    people, problems = looked_up(
        standin, tmp_path, [f"{{email: person{n}@hospital.org}}" for n in range(8_900, 9_000)]
    )
    assert (problems, len(people)) == ([], 101)
    # 100 emails (~50 a minute) and one ID (~100) take as long as 41 pages (~20 a minute): 8,200 people read,
    # then the 100 not among them asked about one by one.
    assert len(standin.calls("users.list")) == 41
    assert len(standin.calls("users.lookupByEmail")) == 100


ORG, EAST, WEST = "E0ORG", "T0EAST", "T0WEST"
ORG_TOKEN = "xoxb-org-wide-token"


def organisation_of_400(standin: SlackStandIn) -> None:
    """An organisation of two workspaces, 200 people each, and its org-wide token."""
    standin.add_organisation(ORG)
    for team in (EAST, WEST):
        standin.add_team(team, enterprise_id=ORG)
    for n in range(400):
        standin.add_user(f"U{n:06d}", email=f"person{n}@hospital.org", team_id=EAST if n < 200 else WEST)
    standin.add_token(ORG_TOKEN, team_id=ORG)


def test_an_organisation_is_listed_workspace_by_workspace_with_its_org_wide_token(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    organisation_of_400(standin)
    standin.add_user("U0OUTSIDE", email="outside@hospital.org")  # the stand-in's own workspace
    tenant = Tenant(ORG, TenantKind.ORGANISATION, ORG)
    client = web_client(settings(standin, tmp_path), ORG_TOKEN)
    file = cohort([*members(range(1, 400)), "{email: outside@hospital.org}"])
    people, problems = look_up(client, file, tenant)
    assert [str(problem) for problem in problems] == [
        "cohort.yml:402: email: no active Slack user has the email outside@hospital.org"
    ]
    assert {person.team_id for person in people.values()} == {EAST, WEST}
    assert len(people) == 400
    assert [call.args.get("team_id") for call in standin.calls("users.list")] == [EAST, EAST, WEST, WEST]
    assert [call.method for call in standin.calls() if call.method.startswith("users.lookup")] == [
        "users.lookupByEmail"  # the outsider only
    ]


class ListingSlack(FakeSlack):
    """Answers users.list too, 200 a page, from the same people."""

    def users_list(
        self, *, limit: int, cursor: str | None = None, team_id: str | None = None
    ) -> dict[str, Any]:
        start = int(cursor or 0)
        users = list(self.users.values())[start : start + limit]
        more = start + limit < len(self.users)
        return {
            "ok": True,
            "members": users,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }


def test_people_slack_connect_shows_from_elsewhere_are_refused_from_the_listing_as_one_by_one() -> None:
    many = {f"U{n:06d}": slack_user(f"U{n:06d}") for n in range(300)}
    file = parse_cohort_file(
        "cohort: {slug: peers, name: Peer circle, facilitators: [U0FAC, U0AWAY]}\n"
        "members:\n  - {user: U0ANN}\n  - {user: U0CONNECT}\n  - {user: U0STRANGER}\n"
        + "".join(f"  - {{user: {user}}}\n" for user in many),
        "cohort.yml",
    )
    slack = ListingSlack(STRANGERS | many)
    people, problems = look_up(client(slack), file, TEAM)
    assert [str(problem) for problem in problems] == [
        "cohort.yml:1: facilitators: U0AWAY is not a person of this workspace",
        "cohort.yml:4: user: U0CONNECT is not a person of this workspace",
        "cohort.yml:5: user: U0STRANGER is not a person of this workspace",
    ]
    assert len(people) == 302
    assert slack.asked == []
