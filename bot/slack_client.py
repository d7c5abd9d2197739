"""Web API clients that go to SLACK_API_URL and ride out rate limits, server errors and lost connections."""

from __future__ import annotations

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


class RateLimitRetry(RateLimitErrorRetryHandler):
    """Retry a 429 after Retry-After, except a form's opening: by then its trigger_id has expired, and the
    person would wait in silence for a form that cannot open; they are told at once to try again."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.rstrip("/").endswith(WITH_A_TRIGGER):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def retry_handlers(pause: RetryIntervalCalculator | None = None) -> list[RetryHandler]:
    """Retry 429 after Retry-After, and 5xx and connection errors a few times each, after a `pause`
    (by default slack_sdk's: exponential back-off with up to a second of jitter)."""
    pause = pause or BackoffRetryIntervalCalculator()
    return [
        RateLimitRetry(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2, interval_calculator=pause),
        ConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=pause),
    ]


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
