"""Where Slack puts Enterprise Grid fields in each kind of request: commands, interactions and events."""

from __future__ import annotations

from dataclasses import dataclass

from . import defaults
from .state import JsonDict


@dataclass(frozen=True)
class Grid:
    """The organisation a request comes from, and whether the app is installed org-wide there."""

    enterprise_id: str | None = None
    is_enterprise_install: bool = False

    @property
    def enterprise_name(self) -> str:
        return f"Org {self.enterprise_id}"


def command_fields(grid: Grid) -> dict[str, str]:
    """A slash command's form fields: the organisation as text, the install flag as "true"/"false"."""
    fields = {"is_enterprise_install": "true" if grid.is_enterprise_install else "false"}
    if grid.enterprise_id:
        fields.update(enterprise_id=grid.enterprise_id, enterprise_name=grid.enterprise_name)
    return fields


def interactive_fields(grid: Grid, team_id: str) -> JsonDict:
    """An interaction's team, enterprise and install flag."""
    team: JsonDict = {"id": team_id, "domain": team_id.lower()}
    if grid.enterprise_id is None:
        return {"team": team, "is_enterprise_install": False, "enterprise": None}
    team.update(enterprise_id=grid.enterprise_id, enterprise_name=grid.enterprise_name)
    return {
        "team": team,
        "is_enterprise_install": grid.is_enterprise_install,
        "enterprise": {"id": grid.enterprise_id, "name": grid.enterprise_name},
    }


def event_fields(grid: Grid, team_id: str) -> JsonDict:
    """An event envelope's enterprise context and its authorization (an org-wide one has no team)."""
    org_wide = grid.is_enterprise_install and grid.enterprise_id is not None
    bot_home = grid.enterprise_id if org_wide and grid.enterprise_id else team_id
    authorization = {
        "enterprise_id": grid.enterprise_id,
        "team_id": None if org_wide else team_id,
        "user_id": defaults.bot_user_id(bot_home),
        "is_bot": True,
        "is_enterprise_install": org_wide,
    }
    return {
        "enterprise_id": grid.enterprise_id,
        "context_enterprise_id": grid.enterprise_id,
        "authorizations": [authorization],
    }
