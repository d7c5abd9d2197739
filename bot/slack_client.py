"""Web API clients that go to SLACK_API_URL and ride out rate limits, server errors and lost connections."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from circles.settings import Settings

TIMEOUT_SECONDS = 10


def retry_handlers() -> list[RetryHandler]:
    """Retry 429 after Retry-After, and 5xx and connection errors with back-off, a few times each."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A client for one token (or none yet, when OAuth picks the token per workspace)."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )
