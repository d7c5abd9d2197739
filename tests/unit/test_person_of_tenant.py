"""Whether someone a form names is one of the tenant's people, from what users.info says of them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack_people import of_tenant
from circles.domain.tenants import Tenant, TenantKind
from tests.unit.test_admin_lookup import FakeSlack, client

TEAM = Tenant("T0HOME", TenantKind.TEAM)
ORG = Tenant("E0ORG", TenantKind.ORGANISATION, "E0ORG")


def person(**fields: Any) -> dict[str, Any]:
    return {"id": "U0ANN", "team_id": "T0HOME", "deleted": False, "is_bot": False, **fields}


@pytest.mark.parametrize(
    ("tenant", "user", "expected"),
    [
        (TEAM, person(), True),
        (TEAM, person(team_id="T0ELSE"), False),  # someone Slack Connect lets the token see
        (TEAM, person(is_stranger=True), False),
        (TEAM, person(deleted=True), False),
        (TEAM, person(is_bot=True), False),
        (TEAM, person(team_id="T0ELSE", enterprise_user={"enterprise_id": "E0", "teams": ["T0HOME"]}), True),
        (ORG, person(team_id="T0EAST", enterprise_user={"enterprise_id": "E0ORG"}), True),
        (ORG, person(team_id="T0EAST"), True),  # an org-wide token sees its organisation's people only
        (ORG, person(team_id="T0EAST", enterprise_user={"enterprise_id": "E0OTHER"}), False),
    ],
)
def test_someone_is_of_the_tenant_when_slack_places_them_there(
    tenant: Tenant, user: dict[str, Any], expected: bool
) -> None:
    assert of_tenant(client(FakeSlack({"U0ANN": user})), "U0ANN", tenant) is expected


def test_someone_slack_does_not_find_is_not_and_a_failing_slack_cannot_say() -> None:
    assert of_tenant(client(FakeSlack({})), "U0ANN", TEAM) is False
    assert of_tenant(client(FakeSlack({}, failure="ratelimited")), "U0ANN", TEAM) is None
    assert of_tenant(client(FakeSlack({}, failure="user_not_visible")), "U0ANN", TEAM) is False
