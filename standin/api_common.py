"""What every Web API method handler gets, and the helpers they share."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .state import JsonDict, Team, TokenOwner, Workspace


class SlackError(Exception):
    """Raised by a handler to answer {"ok": false, "error": code, ...extra}."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def missing(field: str) -> SlackError:
    """Slack's answer when a required argument is absent."""
    return SlackError(
        "invalid_arguments", response_metadata={"messages": [f"[ERROR] missing required field: {field}"]}
    )


class Settings(Protocol):
    """The knobs tests turn on the stand-in that some methods consult."""

    socket_mode_url: str
    client_id: str | None
    client_secret: str | None
    oauth_scope: str
    oauth_authed_user_id: str
    oauth_team_id: str | None
    oauth_enterprise_id: str | None
    token_expires_in: int | None
    oauth_bot_token: bool
    valid_tokens: set[str] | None
    expired_tokens: set[str]

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        ...


@dataclass
class ApiRequest:
    """One Web API call as a handler sees it."""

    method: str
    args: JsonDict
    token: str | None
    headers: dict[str, str]  # lower-cased names
    owner: TokenOwner
    workspace: Workspace
    settings: Settings

    @property
    def team(self) -> Team:
        """The team the token belongs to."""
        return self.workspace.teams[self.owner.team_id]

    def text(self, name: str, default: str | None = None) -> str | None:
        """A string argument (form values are always strings; JSON ones may not be)."""
        value = self.args.get(name)
        if value is None or value == "":
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def require(self, name: str, error: str | None = None) -> str:
        """A string argument that must be present."""
        value = self.text(name)
        if value is None:
            raise SlackError(error) if error else missing(name)
        return value

    def flag(self, name: str) -> bool:
        """A boolean argument: slack_sdk sends 1/0 in forms and true/false in JSON."""
        value = self.args.get(name)
        return value in (True, 1, "1", "true", "True")

    def number(self, name: str, default: int) -> int:
        """An integer argument."""
        value = self.args.get(name)
        try:
            return int(value) if value not in (None, "") else default
        except (TypeError, ValueError):
            raise SlackError("invalid_arguments") from None

    def id_list(self, name: str) -> list[str]:
        """A comma-separated (or JSON list) argument of ids."""
        value = self.args.get(name)
        if isinstance(value, list):
            return [str(v) for v in value]
        return [v.strip() for v in str(value or "").split(",") if v.strip()]

    def json_arg(self, name: str) -> Any:
        """An argument that holds JSON (already decoded for form bodies by the server)."""
        value = self.args.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise SlackError("invalid_arguments") from None
        return value


Handler = Callable[[ApiRequest], JsonDict]


def check_blocks(blocks: Any, limit: int) -> list[JsonDict]:
    """Reject what Slack's Block Kit validation would obviously reject."""
    if blocks is None:
        return []
    if not isinstance(blocks, list) or len(blocks) > limit:
        raise SlackError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise SlackError(
                "invalid_blocks", response_metadata={"messages": ["[ERROR] missing required field: type"]}
            )
    return blocks


def paged(req: ApiRequest, ids: list[str], *, default_limit: int | None) -> tuple[slice, JsonDict]:
    """Which of `ids` (in a stable order) one page holds for Slack's `cursor` and `limit`, and the
    response_metadata naming the next page. No limit and no default: everything in one page."""
    limit = req.number("limit", default_limit or 0)
    if limit < 0 or limit > 1000:
        raise SlackError("invalid_limit")
    start = 0
    if (cursor := req.text("cursor")) is not None:
        try:
            kind, _, next_id = base64.b64decode(cursor, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            raise SlackError("invalid_cursor") from None
        if kind != "next" or next_id not in ids:
            raise SlackError("invalid_cursor")
        start = ids.index(next_id)
    end = len(ids) if limit == 0 else min(start + limit, len(ids))
    following = base64.b64encode(f"next:{ids[end]}".encode()).decode() if end < len(ids) else ""
    return slice(start, end), {"next_cursor": following}
