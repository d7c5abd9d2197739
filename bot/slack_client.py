"""Web API clients that go to SLACK_API_URL and ride out rate limits, server errors and lost connections."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import ClassVar

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryIntervalCalculator, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator

from circles.settings import Settings

# Methods that open a form with a trigger_id, which Slack honours for three seconds only.
WITH_A_TRIGGER = ("views.open", "views.push")


# Methods a 5xx or a dropped connection may end after Slack did their work (bot.gateway.outcomes.MAYBE_DONE):
# a second try would share the file again, or be refused for a file already shared.
SHARES_A_FILE = ("files.completeUploadExternal",)


def opens_a_form(request: HttpRequest) -> bool:
    return request.url.rstrip("/").endswith(WITH_A_TRIGGER)


def shares_a_file(request: HttpRequest) -> bool:
    return request.url.rstrip("/").endswith(SHARES_A_FILE)


class _ExceptSome(RetryHandler):
    """A retry handler that never tries again the requests one of its EXCEPT picks.

    A form's opening (opens_a_form): its trigger_id is honoured once, for three seconds. After a 429's
    Retry-After it has expired, and the person would wait in silence for a form that cannot open; a 5xx or
    a dropped connection may come after Slack opened the form, so a second try would be refused
    (exchanged_trigger_id). The person is told at once instead (bot.errors).
    A file's sharing (shares_a_file), after a 5xx or a dropped connection: Slack may have shared it
    already. The caller tells the person to look in their DM first (a 429 did nothing: that one waits)."""

    EXCEPT: ClassVar[tuple[Callable[[HttpRequest], bool], ...]] = ()

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if any(picks(request) for picks in self.EXCEPT):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class RateLimitRetry(_ExceptSome, RateLimitErrorRetryHandler):
    """Retry a 429 after Retry-After, except a form's opening."""

    EXCEPT = (opens_a_form,)


class ServerErrorRetry(_ExceptSome, ServerErrorRetryHandler):
    """Retry a 500 or 503, except a form's opening or a file's sharing."""

    EXCEPT = (opens_a_form, shares_a_file)


class ConnectionErrorRetry(_ExceptSome, ConnectionErrorRetryHandler):
    """Retry a lost connection, except a form's opening or a file's sharing."""

    EXCEPT = (opens_a_form, shares_a_file)


def retry_handlers(pause: RetryIntervalCalculator | None = None) -> list[RetryHandler]:
    """Retry 429 after Retry-After, and 5xx and connection errors a few times each, after a `pause`
    (by default slack_sdk's: exponential back-off with up to a second of jitter); a form's opening, never, and
    a file's sharing only after a 429.
    The dispatcher's clients (bot.gateway.clients) retry nothing: it waits and looks before sending again."""
    pause = pause or BackoffRetryIntervalCalculator()
    return [
        RateLimitRetry(max_retry_count=2),
        ServerErrorRetry(max_retry_count=2, interval_calculator=pause),
        ConnectionErrorRetry(max_retry_count=2, interval_calculator=pause),
    ]


def raising_rate_limits(client: WebClient) -> WebClient:
    """The same client, but a 429 is raised at once: for a caller that waits out Retry-After its own way,
    holding no thread (the Home publisher). A 5xx or a lost connection is still tried again."""
    handlers = getattr(client, "retry_handlers", None)
    if handlers is None:  # a client that tries nothing again raises a 429 at once already
        return client
    quick = copy.copy(client)
    quick.retry_handlers = [each for each in handlers if not isinstance(each, RateLimitErrorRetryHandler)]
    return quick


def web_client(
    settings: Settings, token: str | None = None, pause: RetryIntervalCalculator | None = None
) -> WebClient:
    """A client for one token (or none yet, when OAuth picks the token per workspace), which pauses so
    before it tries a failed call again."""
    # slack_sdk's type says int, but urllib takes fractions of a second too.
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,  # type: ignore[arg-type]
        retry_handlers=retry_handlers(pause),
    )
