"""oauth.v2.access: installing (in one workspace, or org-wide) and, with token rotation, refreshing."""

from __future__ import annotations

import base64
import binascii
import secrets

from . import defaults
from .api_common import ApiRequest, Handler, SlackError
from .state import JsonDict, TokenOwner


def _client_credentials(req: ApiRequest) -> tuple[str | None, str | None]:
    """client_id and client_secret from HTTP Basic auth (slack_sdk) or the form (other clients)."""
    header = req.headers.get("authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise SlackError("invalid_client_id") from None
        return client_id, secret
    return req.text("client_id"), req.text("client_secret")


def oauth_v2_access(req: ApiRequest) -> JsonDict:
    """oauth.v2.access: exchanges any code for a fresh bot token of the install team (or organisation),
    or with grant_type=refresh_token a refresh token for a new bot token."""
    client_id, secret = _client_credentials(req)
    settings = req.settings
    if client_id is None or (settings.client_id is not None and client_id != settings.client_id):
        raise SlackError("invalid_client_id")
    if settings.client_secret is not None and secret != settings.client_secret:
        raise SlackError("bad_client_secret")
    if req.text("grant_type") == "refresh_token":
        return _refresh(req)
    if req.text("code") is None:
        raise SlackError("invalid_code")
    ws = req.workspace
    org = settings.oauth_enterprise_id
    team_id = org or settings.oauth_team_id or ws.default_team_id
    team = ws.teams.get(team_id) or ws.add_team(team_id, f"Team {team_id}", team_id.lower())
    if not settings.oauth_bot_token:
        # As for an install that asked for user scopes alone: the installer's own token, no bot token.
        user = settings.oauth_authed_user_id
        token = f"xoxp-{team.id[1:]}-{next_token_number(req)}-{secrets.token_hex(12)}"
        req.workspace.tokens[token] = TokenOwner(team.id, user, is_bot=False)
        authed = {"id": user, "scope": "users:read", "access_token": token, "token_type": "user"}
        body: JsonDict = {"app_id": defaults.APP_ID, "authed_user": authed}
    else:
        body = {
            "app_id": defaults.APP_ID,
            "authed_user": {"id": settings.oauth_authed_user_id},
            "scope": settings.oauth_scope,
            "token_type": "bot",
            "bot_user_id": team.bot_user_id,
            **_issue(req, TokenOwner(team.id, team.bot_user_id)),
        }
    if org is not None:
        # An org-wide install: Slack names the organisation and no team.
        return {
            **body,
            "team": None,
            "enterprise": {"id": team.id, "name": team.name},
            "is_enterprise_install": True,
        }
    return {
        **body,
        "team": {"id": team.id, "name": team.name},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _refresh(req: ApiRequest) -> JsonDict:
    # Like Slack: a refresh token is good for one refresh, after which only the new one it gave works.
    owner = req.workspace.refresh_tokens.pop(req.text("refresh_token") or "", None)
    if owner is None:
        raise SlackError("invalid_refresh_token")
    return {"token_type": "bot", "app_id": defaults.APP_ID, **_issue(req, owner)}


def _issue(req: ApiRequest, owner: TokenOwner) -> JsonDict:
    """A new bot token for owner; with token rotation on, an expiring one and its refresh token."""
    ws, expires_in = req.workspace, req.settings.token_expires_in
    prefix = "xoxe.xoxb" if expires_in is not None else "xoxb"
    token = f"{prefix}-{owner.team_id[1:]}-{next_token_number(req)}-{secrets.token_hex(12)}"
    ws.tokens[token] = owner
    if req.settings.valid_tokens is not None:
        req.settings.valid_tokens.add(token)
    if expires_in is None:
        return {"access_token": token}
    refresh = f"xoxe-1-{secrets.token_hex(16)}"
    ws.refresh_tokens[refresh] = owner
    return {"access_token": token, "refresh_token": refresh, "expires_in": expires_in}


def next_token_number(req: ApiRequest) -> int:
    """A number that makes issued tokens look like Slack's and stay unique."""
    return 1000 + len(req.workspace.tokens)


HANDLERS: dict[str, Handler] = {"oauth.v2.access": oauth_v2_access}
