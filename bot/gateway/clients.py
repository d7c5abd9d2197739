"""Web API clients for the dispatcher: one per workspace's bot token, and none of slack_sdk's retries."""

from __future__ import annotations

import threading

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from circles.settings import Settings

TIMEOUT_SECONDS = 10


class NoToken(Exception):
    """The app holds no bot token for this workspace."""


def dispatch_client(settings: Settings, token: str, timeout: float = TIMEOUT_SECONDS) -> WebClient:
    """A client that reports every answer at once instead of retrying.

    The app's own client (bot.slack_client) rides out 429s and server errors with slack_sdk's
    RetryHandlers. The dispatcher does not: a handler sleeps out Retry-After on the worker's thread,
    holding it while other conversations could be served, and resends after a lost connection without
    looking whether the first request was posted. The dispatcher does both itself: a rate-limited row
    waits in its queue while its limiter holds the conversation, and a row whose request may have reached
    Slack is looked for in the conversation before it is sent again.
    """
    # slack_sdk's type says int, but urllib takes fractions of a second too.
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=timeout,  # type: ignore[arg-type]
        retry_handlers=[],
    )


class Clients:
    """The bot token of each workspace: the one token in single-workspace mode, else the installation's."""

    def __init__(
        self,
        settings: Settings,
        installation_store: InstallationStore | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._settings = settings
        self._store = installation_store
        self._timeout = timeout
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    def for_team(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        """The client for a workspace; NoToken when the app is not installed there."""
        with self._lock:
            client = self._clients.get(team_id)
            if client is None:
                token = self._token(team_id, enterprise_id)
                client = self._clients[team_id] = dispatch_client(self._settings, token, self._timeout)
            return client

    def _token(self, team_id: str, enterprise_id: str | None) -> str:
        if self._store is not None:
            bot = self._store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
            if bot is None or not bot.bot_token:
                raise NoToken(team_id)
            return bot.bot_token
        if self._settings.slack_bot_token is None:
            raise NoToken(team_id)
        return self._settings.slack_bot_token.get_secret_value()
