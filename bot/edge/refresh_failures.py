"""Refreshes of a rotating token that Slack would not make, for a reason other than the refresh token
(invalid_refresh_token: bot.edge.rotation): the app's own credentials refused (its client secret regenerated
and the running app holding the old one), a 429, an outage. None says anything of the tenant or of any one
message, so none fails a message for good: the current token is used while it works (after a refusal of
the credentials; after an outage or a 429 the tenant waits, the refresh being asked again soon), and past
its expiry the failure is raised again, for the tenant's messages to wait untried. Slack is not asked
again for a while, and each failure is said in one line naming the tenant and Slack's code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk.errors import SlackTokenRotationError

# Seconds a process does not ask Slack again to refresh a token it would not refresh: an outage or a 429
# passes soon; a refusal of the app's credentials lasts until an operator fixes them.
PASSING_REST, REFUSAL_REST = 30.0, 300.0

logger = logging.getLogger(__name__)


class FailedRefreshes:
    """The refreshes that failed lately, each by the name of its lock, until when not to ask again."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._failing: dict[str, tuple[float, Exception]] = {}
        self._lock = threading.Lock()

    def failed(self, key: str, tenant: str, expires_at: int | None, error: Exception) -> None:
        """Rest a refresh Slack would not make, with one line (never a token or secret); raise its
        failure when the current token cannot be used."""
        passing, code = _passing(error)
        rest = PASSING_REST if passing else REFUSAL_REST
        with self._lock:
            self._failing[key] = (self._clock() + rest, error)
        kept = self._usable(expires_at, error)
        logger.warning(
            "Slack would not refresh the bot token of %s (%s): %s; asked again in %d s",
            tenant,
            code,
            "the current token is used until it expires" if kept else "its messages wait",
            rest,
        )
        if not kept:
            raise error

    def resting(self, key: str, expires_at: int | None) -> bool:
        """Whether the token's refresh failed a short while ago, not to be asked again yet: True to use the
        token as it is; its failure raised again when it cannot be used."""
        with self._lock:
            failing = self._failing.get(key)
        if failing is None or failing[0] <= self._clock():
            return False
        if self._usable(expires_at, failing[1]):
            return True
        raise failing[1].with_traceback(None)  # raised again by each caller: no traceback piling up

    def refreshed(self, key: str) -> None:
        with self._lock:
            self._failing.pop(key, None)

    def _usable(self, expires_at: int | None, error: Exception) -> bool:
        """Whether to go on with the current token: Slack refused the app's credentials, not the token,
        and it has not expired. After an outage or a 429 it waits instead: the refresh is asked soon."""
        return not _passing(error)[0] and expires_at is not None and expires_at > self._clock()


def _passing(error: Exception) -> tuple[bool, str]:
    """Whether a failed refresh may go through if asked again soon (a 429, a 5xx, an error Slack documents
    as passing, no answer), and its code."""
    from bot.gateway.outcomes import ErrorKind, error_code, kind_of  # here: bot.gateway imports rotation

    if not isinstance(error, SlackTokenRotationError):
        return True, type(error).__name__
    code = error_code(error.api_error)
    return kind_of(code, error.api_error.response.status_code) is ErrorKind.RETRY, code
