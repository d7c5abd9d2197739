"""Web API clients for the dispatcher: one per tenant's bot token, refreshed when it rotates, and none of
slack_sdk's retries."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import InstallationStore

from bot.edge.rotation import ROTATE_MINUTES_BEFORE_EXPIRY, RefreshRefused, RotatingStore
from circles.domain.tenants import is_organisation_key
from circles.settings import Settings

REFRESH_REST = 30.0  # seconds a tenant's failed token refresh is not asked again by the same sender
TOKEN_WAIT = 0.5  # seconds a thread waits for another's lookup of the same token: a read, not a refresh


class NoToken(Exception):
    """The app holds no bot token for this workspace."""


class TenantHeld(NoToken):
    """Slack refused to refresh the tenant's token: its messages wait until the app is installed again."""


class TokenBusy(TenantHeld):
    """Another of the sender's threads has been looking the tenant's token up for TOKEN_WAIT seconds (a
    slow refresh): the tenant's messages wait for the next pass rather than hold this thread too."""


def dispatch_client(settings: Settings, token: str, timeout: float | None = None) -> WebClient:
    """A client that reports every answer at once instead of retrying, waiting `timeout` seconds for each
    (by default the settings' SLACK_TIMEOUT_SECONDS).

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
        timeout=settings.slack_timeout_seconds if timeout is None else timeout,  # type: ignore[arg-type]
        retry_handlers=[],
    )


class Clients:
    """The bot token of each tenant: the one token in single-workspace mode, else the installation's.

    An org-wide install's token is found by its organisation alone. The store refreshes a rotating token
    (bot.edge.rotation) before it comes within ROTATE_MINUTES_BEFORE_EXPIRY of expiring; a client is kept
    until then. A tenant whose refresh Slack refused is held: its messages wait for a reinstall. A token the
    store kept although due (Slack would not refresh it: see bot.edge.rotation) is looked up again after
    REFRESH_REST seconds, not for each message.

    Looking a token up may call Slack (a refresh) and wait on the database: it holds that tenant's lock
    only, so one tenant's slow or failing refresh never holds up another's messages. A refresh that failed
    for a while (Slack rate-limited it, or did not answer) is not asked again for REFRESH_REST seconds: the
    tenant's other messages meet the same failure at once, and wait their turn like any unsent message.
    """

    def __init__(
        self,
        settings: Settings,
        installation_store: InstallationStore | None = None,
        timeout: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._store = installation_store
        self._timeout = timeout
        self._clock = clock
        self._clients: dict[str, tuple[WebClient, float]] = {}  # the client, used until when
        self._held: set[str] = set()
        self._resting: dict[str, tuple[float, Exception]] = {}  # a failed refresh, until when, as raised
        self._lock = threading.Lock()  # the dictionaries above, held for no call
        self._tenants: dict[str, threading.Lock] = {}  # one per tenant, held while its token is looked up

    @property
    def timeout(self) -> float:
        """Seconds each call waits for Slack's answer."""
        return float(self._settings.slack_timeout_seconds if self._timeout is None else self._timeout)

    def for_team(self, team_id: str, enterprise_id: str | None = None) -> WebClient:
        """The client for a tenant (a team, or an organisation by its E… key); NoToken when not installed,
        TenantHeld when its refresh was refused."""
        cached = self._cached(team_id)
        if cached is not None:
            return cached
        tenant = self._tenant_lock(team_id)
        if not tenant.acquire(timeout=TOKEN_WAIT):
            raise TokenBusy(team_id)
        try:
            return self._looked_up(team_id, enterprise_id)
        finally:
            tenant.release()

    def _looked_up(self, team_id: str, enterprise_id: str | None) -> WebClient:
        """The tenant's client, its token looked up (refreshed if due) under the tenant's lock."""
        cached = self._cached(team_id)  # another thread may have looked it up meanwhile
        if cached is not None:
            return cached
        try:
            token, expires_at = self._token(team_id, enterprise_id)
        except RefreshRefused:
            with self._lock:
                self._held.add(team_id)
            raise TenantHeld(team_id) from None
        except (SlackTokenRotationError, OSError) as error:  # not refreshed, and not to be used
            failure = error.api_error if isinstance(error, SlackTokenRotationError) else error
            with self._lock:
                self._resting[team_id] = (self._clock() + REFRESH_REST, failure)
            raise failure from None
        return self._keep(team_id, token, expires_at)

    def _keep(self, team_id: str, token: str, expires_at: float | None) -> WebClient:
        """A client for the token, used until it is due for refresh; one due already (its refresh failed)
        for REFRESH_REST seconds at most."""
        client = dispatch_client(self._settings, token, self._timeout)
        now, due = self._clock(), float("inf") if expires_at is None else expires_at
        refresh_at = due - ROTATE_MINUTES_BEFORE_EXPIRY * 60
        until = refresh_at if refresh_at > now else min(due, now + REFRESH_REST)
        with self._lock:
            self._clients[team_id] = (client, until)
        return client

    def _cached(self, team_id: str) -> WebClient | None:
        """The tenant's client while its token is good; raises as its token's last lookup did, while that
        failure rests."""
        with self._lock:
            if team_id in self._held:
                raise TenantHeld(team_id)
            resting = self._resting.get(team_id)
            if resting is not None and resting[0] > self._clock():
                raise resting[1].with_traceback(None)  # raised again by each caller: no traceback piling up
            cached = self._clients.get(team_id)
            return cached[0] if cached is not None and cached[1] > self._clock() else None

    def _tenant_lock(self, team_id: str) -> threading.Lock:
        with self._lock:
            return self._tenants.setdefault(team_id, threading.Lock())

    def renewed(self, team_id: str, enterprise_id: str | None, expired: WebClient) -> WebClient | None:
        """A client with a new token for the tenant, whose token in `expired` Slack answered token_expired
        to; None when no other token is to be had (no token rotation). TenantHeld when its refresh was refused
        or its installation is gone (uninstalled meanwhile): its messages wait for a reinstall."""
        store = self._store
        if not isinstance(store, RotatingStore) or expired.token is None:
            return None
        org = is_organisation_key(team_id)
        with self._tenant_lock(team_id):
            with self._lock:
                self._clients.pop(team_id, None)
                if team_id in self._held:
                    raise TenantHeld(team_id)
            inside = None if org or enterprise_id else store.organisation_of(team_id)
            try:
                installation = store.renew(
                    enterprise_id=team_id if org else (enterprise_id or inside),
                    team_id=None if org else team_id,
                    is_enterprise_install=org,
                    expired=expired.token,
                )
            except RefreshRefused:
                installation = None
            except SlackTokenRotationError as error:
                raise error.api_error from None
            if installation is None:  # refused, or forgotten meanwhile (uninstalled): wait for a reinstall
                with self._lock:
                    self._held.add(team_id)
                raise TenantHeld(team_id)
            if not installation.bot_token or installation.bot_token == expired.token:
                return None
            expires_at = installation.bot_token_expires_at
            expiry = float(expires_at) if expires_at is not None else None
            return self._keep(team_id, installation.bot_token, expiry)

    def replaced(self, team_id: str, enterprise_id: str | None, used: WebClient) -> bool:
        """Whether the tenant's stored token is no longer the one `used` sent with (the app was installed
        again since it was looked up), so that Slack refusing it says nothing of the tenant; the next
        look-up then reads the new one. False with the one token of SLACK_BOT_TOKEN, or none stored."""
        if self._store is None or used.token is None:
            return False
        try:
            token, _ = self._stored_token(self._store, team_id, enterprise_id)
        except (NoToken, RefreshRefused, SlackTokenRotationError):  # nothing newer to send with
            return False
        if token == used.token:
            return False
        with self._lock:
            self._clients.pop(team_id, None)
        return True

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
        installation = store.find_installation(
            enterprise_id=team_id if org else enterprise_id,
            team_id=None if org else team_id,
            is_enterprise_install=org,
        )
        inside = None if installation or org or enterprise_id else _organisation_of(store, team_id)
        if inside is not None:  # a workspace's own install inside a Grid organisation is kept under it
            installation = store.find_installation(enterprise_id=inside, team_id=team_id)
        if installation is None or not installation.bot_token:
            raise NoToken(team_id)
        expires_at = installation.bot_token_expires_at
        return installation.bot_token, float(expires_at) if expires_at is not None else None


def _organisation_of(store: InstallationStore, team_id: str) -> str | None:
    return store.organisation_of(team_id) if isinstance(store, RotatingStore) else None
