"""`circles cohort import` takes only the tenant's own people: someone Slack shows from another workspace or
organisation (Slack Connect) is a problem on their line, like a bot or a deactivated account."""

from __future__ import annotations

from typing import Any

from bot.cli_import import look_up
from circles.domain.cohort_file import parse_cohort_file
from circles.domain.tenants import Tenant, TenantKind
from tests.unit.test_admin_lookup import FakeSlack, client

TEAM = Tenant("T0HOME", TenantKind.TEAM)
ORG = Tenant("E0ORG", TenantKind.ORGANISATION, "E0ORG")
FILE = (
    "cohort: {slug: peers, name: Peer circle, facilitators: [U0FAC, U0AWAY]}\n"
    "members:\n  - {user: U0ANN}\n  - {user: U0CONNECT}\n  - {user: U0STRANGER}\n"
)


def person(user_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": user_id, "team_id": "T0HOME", "deleted": False, "is_bot": False, **fields}


PEOPLE = {
    "U0FAC": person("U0FAC"),
    "U0AWAY": person("U0AWAY", team_id="T0ELSE"),
    "U0ANN": person("U0ANN"),
    "U0CONNECT": person("U0CONNECT", team_id="T0ELSE", enterprise_user={"enterprise_id": "E0OTHER"}),
    "U0STRANGER": person("U0STRANGER", is_stranger=True),
}


def test_people_of_another_workspace_are_a_problem_on_their_line_each() -> None:
    slack = FakeSlack(PEOPLE)
    people, problems = look_up(client(slack), parse_cohort_file(FILE, "cohort.yml"), TEAM)
    assert [str(problem) for problem in problems] == [
        "cohort.yml:1: facilitators: U0AWAY is not a person of this workspace",
        "cohort.yml:4: user: U0CONNECT is not a person of this workspace",
        "cohort.yml:5: user: U0STRANGER is not a person of this workspace",
    ]
    assert sorted(person.user_id for person in people.values()) == ["U0ANN", "U0FAC"]
    assert sorted(slack.asked) == sorted(PEOPLE)  # each person asked about once


def test_an_organisation_takes_its_own_workspaces_people_and_not_another_organisations() -> None:
    east = person("U0AWAY", team_id="T0EAST", enterprise_user={"enterprise_id": "E0ORG"})
    people = PEOPLE | {"U0AWAY": east}
    _, problems = look_up(client(FakeSlack(people)), parse_cohort_file(FILE, "cohort.yml"), ORG)
    assert [str(problem) for problem in problems] == [
        "cohort.yml:4: user: U0CONNECT is not a person of this organisation",
        "cohort.yml:5: user: U0STRANGER is not a person of this organisation",
    ]
