"""Which tenant a request belongs to, read from each shape of payload Slack sends."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.edge.tenant import tenant_of
from circles.domain.tenants import Tenant, TenantKind, is_organisation_key, meeting_place_for
from circles.domain.vocabulary import MeetingPlace
from standin import Signer

ORG = "E0ORG1"
TEAM = "T0ONE"
signer = Signer("secret")


def _form(body: bytes) -> dict[str, Any]:
    fields = dict(parse_qsl(body.decode()))
    return json.loads(fields["payload"]) if "payload" in fields else fields


def command(**grid: Any) -> dict[str, Any]:
    return _form(signer.slash_command("join pgy1", user_id="U1", team_id=TEAM, **grid).body)


def action(**grid: Any) -> dict[str, Any]:
    return _form(signer.block_action("a", user_id="U1", team_id=TEAM, channel_id="C1", **grid).body)


def submission(**grid: Any) -> dict[str, Any]:
    return _form(signer.view_submission("cb", user_id="U1", team_id=TEAM, values={}, **grid).body)


def event(**grid: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(signer.app_home_opened("U1", team_id=TEAM).body)
    if grid:
        body = json.loads(signer.event({"type": "app_home_opened", "user": "U1"}, team_id=TEAM, **grid).body)
    return body


SHAPES = [command, action, submission, event]


@pytest.mark.parametrize("shape", SHAPES)
def test_an_org_wide_install_belongs_to_the_organisation_with_the_persons_workspace_kept(shape: Any) -> None:
    tenant = tenant_of(shape(enterprise_id=ORG, is_enterprise_install=True))
    assert tenant == Tenant(ORG, TenantKind.ORGANISATION, ORG, TEAM)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_workspace_install_inside_an_organisation_stays_the_workspace(shape: Any) -> None:
    tenant = tenant_of(shape(enterprise_id=ORG, is_enterprise_install=False))
    assert (tenant.key, tenant.kind, tenant.enterprise_id) == (TEAM, TenantKind.TEAM, ORG)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_plain_workspace_is_its_own_tenant(shape: Any) -> None:
    assert tenant_of(shape()) == Tenant(TEAM, TenantKind.TEAM, None, TEAM)


@pytest.mark.parametrize(
    "enterprise",
    [None, {}, {"id": None}, {"id": 7}, {"id": "not-an-org"}, "E0ORG1", ["E0ORG1"], {"id": "E0ORG1\n"}],
)
def test_a_malformed_or_missing_enterprise_block_leaves_the_workspace(enterprise: Any) -> None:
    payload = action()
    payload.update(is_enterprise_install=True, enterprise=enterprise)
    assert tenant_of(payload).key == TEAM


@pytest.mark.parametrize(
    "authorizations", [None, [], "x", [None], [{"is_enterprise_install": "yes", "enterprise_id": ORG}]]
)
def test_odd_authorizations_on_an_event_leave_the_workspace(authorizations: Any) -> None:
    payload = event()
    payload["authorizations"] = authorizations
    assert tenant_of(payload).key == TEAM


def test_a_command_says_org_wide_only_with_the_text_true() -> None:
    payload = command(enterprise_id=ORG, is_enterprise_install=True)
    payload["is_enterprise_install"] = "1"
    assert tenant_of(payload).key == TEAM


def test_an_interaction_with_a_null_team_takes_the_persons_workspace() -> None:
    payload = action(enterprise_id=ORG, is_enterprise_install=True)
    payload["team"] = None
    assert tenant_of(payload) == Tenant(ORG, TenantKind.ORGANISATION, ORG, TEAM)


def test_a_body_with_nothing_about_its_team_uses_what_bolt_found() -> None:
    assert tenant_of({}, "T0BOLT").key == "T0BOLT"
    assert tenant_of({}).key == ""


def test_organisation_keys_and_where_their_circles_meet() -> None:
    assert is_organisation_key(ORG)
    assert not is_organisation_key(TEAM)
    assert meeting_place_for(MeetingPlace.PRIVATE_CHANNEL, organisation=True) is MeetingPlace.GROUP_DM
    assert meeting_place_for(MeetingPlace.PRIVATE_CHANNEL, organisation=False) is MeetingPlace.PRIVATE_CHANNEL
