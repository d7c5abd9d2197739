"""How one attempt to send a row ended, read from what Slack (or the network) answered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

# Errors that no retry can cure: recorded on the row, never tried again.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "user_not_found",
        "account_inactive",
        "not_in_channel",
        "invalid_auth",
        "token_revoked",
        "not_authed",
        "missing_scope",
        "msg_too_long",
        "invalid_blocks",
        "no_text",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
    }
)
# Errors Slack documents as passing; the rest of the unknown ones are treated as permanent, so that a
# row Slack will never take does not come back forever.
TRANSIENT = frozenset(
    {"internal_error", "fatal_error", "request_timeout", "service_unavailable", "ratelimited"}
)
# Slack says of these that part of the operation may have succeeded.
MAYBE_DONE = frozenset({"internal_error", "fatal_error", "request_timeout"})
# A team whose token is refused: every other row of that team would be refused the same way.
TOKEN_REFUSED = frozenset({"invalid_auth", "token_revoked", "not_authed", "no_bot_token"})


@dataclass(frozen=True)
class Sent:
    """Slack has the message: posted now, or found already posted by an earlier attempt."""

    result: dict[str, Any]
    deduplicated: bool = False


@dataclass(frozen=True)
class Failed:
    """A permanent error."""

    error: str


@dataclass(frozen=True)
class RateLimited:
    """A 429: try again after retry_after seconds; `method` is the one Slack refused."""

    method: str
    retry_after: float


@dataclass(frozen=True)
class Transient:
    """A server error, a timeout or a lost connection; `maybe_posted` when the request may have landed."""

    error: str
    maybe_posted: bool


Outcome = Sent | Failed | RateLimited | Transient


def from_api_error(error: SlackApiError, method: str) -> Outcome:
    """Read a Web API error: 429, 5xx, a documented passing error, or a permanent one."""
    response = error.response
    status = response.status_code
    code = str(response.get("error") or f"http_{status}")
    if status == 429 or code == "ratelimited":
        return RateLimited(method, _retry_after(response.headers))
    if status >= 500:
        # A 5xx may come from a proxy after Slack did the work: look before posting again.
        return Transient(code, maybe_posted=True)
    if code in TRANSIENT:
        return Transient(code, maybe_posted=code in MAYBE_DONE)
    return Failed(code)


def from_os_error(error: OSError) -> Transient:
    """A refused connection never reached Slack; a timeout or a dropped connection may have."""
    reason = getattr(error, "reason", error)
    refused = isinstance(reason, ConnectionRefusedError)
    name = "timeout" if isinstance(reason, TimeoutError) else type(reason).__name__
    return Transient(name, maybe_posted=not refused)


def _retry_after(headers: Any) -> float:
    found: Any = {str(k).lower(): v for k, v in dict(headers or {}).items()}.get("retry-after")
    value = found[0] if isinstance(found, list) and found else found
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0
