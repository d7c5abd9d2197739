"""Routes a Web API call to its handler, applying Slack's authentication rules first."""

from __future__ import annotations

from . import api_chat, api_conversations, api_oauth, api_platform, api_users_views, functions
from .api_common import ApiRequest, Handler, Settings, SlackError
from .state import JsonDict, Workspace

HANDLERS: dict[str, Handler] = {
    **api_chat.HANDLERS,
    **api_conversations.HANDLERS,
    **api_users_views.HANDLERS,
    **api_platform.HANDLERS,
    **functions.HANDLERS,
    **api_oauth.HANDLERS,
}

# oauth.v2.access authenticates with the client id and secret instead of a token.
_TOKENLESS = frozenset({"oauth.v2.access"})
_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


def dispatch(
    workspace: Workspace,
    settings: Settings,
    method: str,
    args: JsonDict,
    token: str | None,
    headers: dict[str, str],
) -> JsonDict:
    """The JSON body Slack would answer (always with HTTP 200)."""
    handler = HANDLERS.get(method)
    if handler is None:
        return {"ok": False, "error": "unknown_method", "req_method": method}
    try:
        if method not in _TOKENLESS:
            _authenticate(settings, method, token)
        request = ApiRequest(method, args, token, headers, workspace.team_for(token), workspace, settings)
        return {"ok": True, **handler(request)}
    except SlackError as error:
        return {"ok": False, "error": error.error, **error.extra}


def _authenticate(settings: Settings, method: str, token: str | None) -> None:
    if not token:
        raise SlackError("not_authed")
    if settings.valid_tokens is not None and token not in settings.valid_tokens:
        raise SlackError("invalid_auth")
    if token in settings.expired_tokens:
        raise SlackError("token_expired")
    if token.startswith("xapp-") and method not in _APP_TOKEN_METHODS:
        raise SlackError("not_allowed_token_type")
