"""The tenant of a request, read from wherever Slack puts the team and the organisation in each payload."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from circles.domain.tenants import Tenant, TenantKind, resolve_tenant

# Events Slack sends only to an org-wide install, about the workspaces it reaches: their authorization
# may name a workspace of the organisation with is_enterprise_install false (as Slack's reference shows).
ORG_EVENTS = ("team_access_granted", "team_access_revoked")


def tenant_of(body: Mapping[str, Any], fallback_team: str | None = None) -> Tenant:
    """Commands, actions, views, options and events alike; a malformed enterprise part leaves the team."""
    team = _team(body) or fallback_team
    return resolve_tenant(team, _enterprise(body), says_org_wide(body) or is_org_event(body))


def is_org_event(body: Mapping[str, Any]) -> bool:
    """Whether the body is an event about the org-wide install itself (see ORG_EVENTS)."""
    event = body.get("event")
    about = event.get("type") if isinstance(event, Mapping) else None
    return body.get("type") == "event_callback" and about in ORG_EVENTS


def org_events_org_wide(
    body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
) -> BoltResponse:
    """A Bolt middleware before authorize: an org event naming an organisation is authorised against its
    org-wide installation, whatever its authorization says; without one, Bolt finds no installation."""
    if is_org_event(body) and tenant_of(body).kind is TenantKind.ORGANISATION:
        context["is_enterprise_install"] = True
    return next()


def _team(body: Mapping[str, Any]) -> str | None:
    # Commands and events carry team_id; interactions a team object (null on some org-wide payloads).
    team = body.get("team")
    if isinstance(team, Mapping) and isinstance(team.get("id"), str):
        return str(team["id"])
    if isinstance(body.get("team_id"), str):
        return str(body["team_id"])
    user = body.get("user")
    if isinstance(user, Mapping) and isinstance(user.get("team_id"), str):
        return str(user["team_id"])  # the workspace of the person, on org-wide interactions
    authorization = _first_authorization(body)
    found = authorization.get("team_id")
    return found if isinstance(found, str) else None


def _enterprise(body: Mapping[str, Any]) -> str | None:
    enterprise = body.get("enterprise")
    if isinstance(enterprise, Mapping) and isinstance(enterprise.get("id"), str):
        return str(enterprise["id"])
    for found in (body.get("enterprise_id"), _first_authorization(body).get("enterprise_id")):
        if isinstance(found, str) and found:
            return found
    team = body.get("team")
    found = team.get("enterprise_id") if isinstance(team, Mapping) else None
    return found if isinstance(found, str) else None


def says_org_wide(body: Mapping[str, Any]) -> bool:
    """Whether the body itself says it comes from an org-wide install (an org event may not)."""
    # Events say it per authorization; commands send the form text "true"; interactions a boolean.
    authorization = _first_authorization(body)
    if "is_enterprise_install" in authorization:
        return authorization["is_enterprise_install"] is True
    flag = body.get("is_enterprise_install")
    return flag is True or flag == "true"


def _first_authorization(body: Mapping[str, Any]) -> Mapping[str, Any]:
    authorizations = body.get("authorizations")
    first = authorizations[0] if isinstance(authorizations, list) and authorizations else None
    return first if isinstance(first, Mapping) else {}
