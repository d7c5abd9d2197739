"""Who a request belongs to: one workspace, or a whole Enterprise Grid organisation installed org-wide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from circles.domain.vocabulary import MeetingPlace

# Slack's IDs: workspaces (teams) start with T, Enterprise Grid organisations with E.
_TEAM = re.compile(r"^T[A-Z0-9]{1,31}$")
_ORGANISATION = re.compile(r"^E[A-Z0-9]{1,31}$")


class TenantKind(StrEnum):
    TEAM = "team"
    ORGANISATION = "org"


@dataclass(frozen=True)
class Tenant:
    """The key every row hangs from (a team ID, or an enterprise ID for an org-wide install)."""

    key: str
    kind: TenantKind
    enterprise_id: str | None = None
    team_id: str | None = None  # the workspace the person acted in, also for an organisation


def is_organisation_key(key: str) -> bool:
    """Whether a tenant key names an organisation rather than one workspace."""
    return bool(_ORGANISATION.fullmatch(key))


def is_tenant_key(key: str) -> bool:
    """Whether a key has the shape of a tenant: a workspace's T… or an organisation's E… ID."""
    return bool(_TEAM.fullmatch(key) or _ORGANISATION.fullmatch(key))


def workspace_team(value: object) -> str | None:
    """A workspace's T… ID as given, or None for anything else (an organisation's E…, a malformed value)."""
    return value if isinstance(value, str) and _TEAM.fullmatch(value) else None


def kind_of_key(key: str) -> TenantKind:
    """The kind of tenant a key names."""
    return TenantKind.ORGANISATION if is_organisation_key(key) else TenantKind.TEAM


def resolve_tenant(team_id: str | None, enterprise_id: str | None, is_enterprise_install: bool) -> Tenant:
    """An org-wide install belongs to its organisation; anything else (or anything unclear) to its team."""
    team = team_id if isinstance(team_id, str) and _TEAM.fullmatch(team_id) else None
    enterprise = (
        enterprise_id if isinstance(enterprise_id, str) and _ORGANISATION.fullmatch(enterprise_id) else None
    )
    if is_enterprise_install is True and enterprise is not None:
        return Tenant(enterprise, TenantKind.ORGANISATION, enterprise, team)
    # A malformed team ID is kept as it came: the services find no workspace for it, as before.
    return Tenant(team_id if isinstance(team_id, str) else "", TenantKind.TEAM, enterprise, team)


def meeting_place_for(chosen: MeetingPlace, organisation: bool) -> MeetingPlace:
    """Where a circle meets: an organisation's circle in a group DM, which people of any of its workspaces
    can share, while a private channel would belong to one workspace."""
    return MeetingPlace.GROUP_DM if organisation else chosen
