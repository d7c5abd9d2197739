"""How a call to Slack ended, read from what Slack (or the network) answered: one reading for every sender.

Every error code falls in one of three kinds:
- retry: Slack or the network may answer differently later (429 with its Retry-After, 5xx, timeouts,
  dropped connections, the errors Slack documents as passing);
- recipient: one person cannot be reached or added (deactivated, a bot, a guest); a call for several
  people goes on with the others, and a call for that person alone fails for good;
- the workspace's token refused (TOKEN_REFUSED, read as permanent here): every call there would be refused
  alike, so the dispatcher holds the workspace's messages until it is installed again (bot.gateway.send);
- permanent: everything else, recorded and never tried again, so that a call Slack will never take
  does not come back forever.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from slack_sdk.errors import SlackApiError


class ErrorKind(StrEnum):
    RETRY = "retry"
    RECIPIENT = "recipient"
    PERMANENT = "permanent"


# Errors Slack documents as passing.
TRANSIENT = frozenset(
    {"internal_error", "fatal_error", "request_timeout", "service_unavailable", "ratelimited"}
)
# Slack says of these that part of the operation may have succeeded.
MAYBE_DONE = frozenset({"internal_error", "fatal_error", "request_timeout"})
# One person cannot be reached or added; the others of the same call can.
RECIPIENT = frozenset(
    {
        "user_not_found",
        "user_is_deactivated",
        "user_disabled",
        "cannot_dm_bot",
        "cant_invite",
        "cant_invite_self",
        "user_is_restricted",
        "user_is_ultra_restricted",
        "ura_max_channels",
        "not_allowed_token_type",
    }
)
# A rotating token past its time, by Slack's clock: the call did nothing, and a refreshed token may make it.
TOKEN_EXPIRED = "token_expired"  # noqa: S105 - Slack's error code, not a secret
# A tenant whose token is refused, or that is gone: every other call for it would be refused the same way.
# Slack documents account_inactive as "Authentication token is for a deleted user or workspace" (what a
# bot token gets once its app is removed), never as a refusal about the person a call names: for a
# deactivated person conversations.open answers user_disabled or user_not_found, and chat.postMessage to
# their DM is even taken. team_not_found: the workspace itself is gone. no_bot_token is ours: no
# installation holds a token for the tenant. ekm_access_denied is not here: an EKM revocation may cover one
# channel or one person only, so it fails the message it met alone.
TOKEN_REFUSED = frozenset(
    {"invalid_auth", "token_revoked", "not_authed", "account_inactive", "team_not_found", "no_bot_token"}
)
# Permanent errors met often enough to be named (any code not above is permanent too).
PERMANENT = TOKEN_REFUSED | frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "too_many_users",
        "missing_scope",
        "msg_too_long",
        "invalid_blocks",
        "no_text",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
    }
)
# What Slack answers when a token cannot reach one person (gone, disabled, of another organisation): a
# message for them alone fails for good, and a listener that meant to tell them goes on quietly.
UNREACHABLE = frozenset(
    {
        "user_not_found",
        "user_is_deactivated",
        "user_disabled",
        "cannot_dm_bot",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "missing_scope",
        # An organisation-wide install not granted the person's workspace: they cannot have it from this
        # app until an admin grants it, so what it carried (an alert) goes to someone else meanwhile.
        "team_access_not_granted",
    }
)

# Of those, what a DM to one person fails with because that person cannot have it (gone, deactivated, a
# bot, a DM that no longer exists): what it carried is taken to someone else. A missing scope is the
# app's own fault, not the person's, and every DM would fail alike.
PERSON_UNREACHABLE = UNREACHABLE - {"missing_scope", "not_in_channel"}
# What every DM fails with alike, the app's own setting (a scope its manifest lacks): a notice that a DM
# failed would fail the same way.
EVERY_DM_FAILS = frozenset({"missing_scope"})


def kind_of(code: str, status: int = 200) -> ErrorKind:
    """The kind of an error code (and the HTTP status it came with)."""
    if status == 429 or status >= 500 or code in TRANSIENT:
        return ErrorKind.RETRY
    return ErrorKind.RECIPIENT if code in RECIPIENT else ErrorKind.PERMANENT


def error_code(error: SlackApiError) -> str:
    """Slack's error code, or the HTTP status when the answer carried none."""
    return str(error.response.get("error") or f"http_{error.response.status_code}")


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
    """A server error, a timeout or a lost connection; `maybe_posted` when the request may have landed, and
    `in_flight` when nobody answered for Slack (a timeout, a dropped connection, a gateway's 502 or 504):
    then it may still be on its way, and land after the answer was given up on."""

    error: str
    maybe_posted: bool
    in_flight: bool = field(default=False, compare=False)  # how long to wait, not what went wrong


@dataclass(frozen=True)
class Held:
    """Nothing was sent: the tenant is held (its token cannot be refreshed) until it is installed again."""


@dataclass(frozen=True)
class Refused(Held):
    """Nothing was sent: Slack refused the tenant's token (`error`, one of TOKEN_REFUSED), so every call
    there would be refused alike. The tenant is marked removed and its messages wait for a reinstall."""

    error: str


Outcome = Sent | Failed | RateLimited | Transient | Held


def from_api_error(error: SlackApiError, method: str) -> Outcome:
    """Read a Web API error: 429, 5xx, a documented passing error, or a permanent one."""
    response = error.response
    status, code = response.status_code, error_code(error)
    if status == 429 or code == "ratelimited":
        return RateLimited(method, _retry_after(response.headers))
    if status >= 500:
        # A 5xx may come from a proxy after Slack did the work: look before posting again. A gateway's
        # 502 or 504 says Slack behind it did not answer: the request may still be in flight.
        return Transient(code, maybe_posted=True, in_flight=status in (502, 504))
    if kind_of(code, status) is ErrorKind.RETRY:
        return Transient(code, maybe_posted=code in MAYBE_DONE)
    return Failed(code)


def from_os_error(error: OSError) -> Transient:
    """A refused connection never reached Slack; a timeout or a dropped connection may have."""
    reason = getattr(error, "reason", error)
    refused = isinstance(reason, ConnectionRefusedError)
    name = "timeout" if isinstance(reason, TimeoutError) else type(reason).__name__
    return Transient(name, maybe_posted=not refused, in_flight=not refused)


def _retry_after(headers: Any) -> float:
    found: Any = {str(k).lower(): v for k, v in dict(headers or {}).items()}.get("retry-after")
    value = found[0] if isinstance(found, list) and found else found
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0
