"""Web API clients for the dispatcher: one per tenant's bot token, refreshed when it rotates, and none of
slack_sdk's retries."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator

from circles.domain.tenants import is_organisation_key
from circles.settings import Settings

TIMEOUT_SECONDS = 10
# Bolt's default too: a rotating token this close to expiry is refreshed before it is used.
ROTATE_MINUTES_BEFORE_EXPIRY = 120


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
    """The bot token of each tenant: the one token in single-workspace mode, else the installation's.

    An org-wide install's token is found by its organisation alone. A rotating token (Slack's token
    rotation) is refreshed through the stored refresh token before it comes within
    ROTATE_MINUTES_BEFORE_EXPIRY of expiring, and saved back to the store before anything is sent with it.
    """

    def __init__(
        self,
        settings: Settings,
        installation_store: InstallationStore | None = None,
        timeout: float = TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._store = installation_store
        self._timeout = timeout
        self._clock = clock
        self._clients: dict[str, tuple[WebClient, float | None]] = {}
        self._lock = threading.Lock()

    def for_team(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        """The client for a tenant (a team, or an organisation by its E… key); NoToken when not installed."""
        with self._lock:
            cached = self._clients.get(team_id)
            if cached is not None and not self._expiring(cached[1]):
                return cached[0]
            token, expires_at = self._token(team_id, enterprise_id)
            client = dispatch_client(self._settings, token, self._timeout)
            self._clients[team_id] = (client, expires_at)
            return client

    def _expiring(self, expires_at: float | None) -> bool:
        return expires_at is not None and expires_at <= self._clock() + ROTATE_MINUTES_BEFORE_EXPIRY * 60

    def _token(self, team_id: str, enterprise_id: str | None) -> tuple[str, float | None]:
        if self._store is not None:
            return self._stored_token(self._store, team_id, enterprise_id)
        if self._settings.slack_bot_token is None:
            raise NoToken(team_id)
        return self._settings.slack_bot_token.get_secret_value(), None

    def _stored_token(
        self, store: InstallationStore, team_id: str, enterprise_id: str | None
    ) -> tuple[str, float | None]:
        org = is_organisation_key(team_id)
        where = {
            "enterprise_id": team_id if org else enterprise_id,
            "team_id": None if org else team_id,
            "is_enterprise_install": org,
        }
        # The installation row is what Bolt reads first on requests: rotate and save it, bot row included.
        installation = store.find_installation(**where)  # type: ignore[arg-type]
        if installation is None or not installation.bot_token:
            raise NoToken(team_id)
        if installation.bot_refresh_token is not None:
            rotated = self._rotator().perform_token_rotation(
                installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
            if rotated is not None:
                store.save(rotated)
                installation = rotated
        assert installation.bot_token is not None
        expires_at = installation.bot_token_expires_at
        return installation.bot_token, float(expires_at) if expires_at is not None else None

    def _rotator(self) -> TokenRotator:
        secret = self._settings.slack_client_secret
        if secret is None:
            # Without the client secret a rotating token cannot be refreshed: sending would fail later.
            raise NoToken("token rotation needs SLACK_CLIENT_SECRET")
        client = WebClient(base_url=self._settings.slack_api_url, timeout=int(self._timeout))
        return TokenRotator(
            client_id=self._settings.slack_client_id or "",
            client_secret=secret.get_secret_value(),
            client=client,
        )
