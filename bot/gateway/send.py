"""Send one claimed row: render it, look first if an earlier attempt may have posted it, call Slack."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.gateway.clients import Clients, NoToken, TenantHeld
from bot.gateway.history import CANNOT_LOOK, OUTBOX_EVENT, find_posted, metadata
from bot.gateway.outcomes import (
    TOKEN_EXPIRED,
    TOKEN_REFUSED,
    Failed,
    Held,
    Outcome,
    Refused,
    Sent,
    error_code,
    from_api_error,
    from_os_error,
)
from bot.messages import UnknownTemplate, render
from circles.persistence.sealing import unreadable
from circles.services.outbox.failures import UNBUILDABLE
from circles.services.outbox.queue import Claimed

__all__ = ["OUTBOX_EVENT", "Gateway"]

logger = logging.getLogger(__name__)

POST = "chat.postMessage"
KICK = "conversations.kick"
SUPPORTED = frozenset({POST, "chat.update", "views.publish", KICK})
_T = TypeVar("_T")


class Work(Protocol):
    """Rows the gateway hands to someone else to carry out (a round's creation), errors read here."""

    def handles(self, row: Claimed) -> bool: ...

    def calls(self, row: Claimed, maybe_posted: bool) -> list[tuple[str, str | None]]: ...

    def send(self, client: WebClient, row: Claimed, maybe_posted: bool) -> Outcome: ...


class Gateway:
    """Sends rows through the right workspace's client; safe to share between worker threads."""

    def __init__(self, clients: Clients, work: Work | None = None) -> None:
        self._clients = clients
        self._work = work
        self._blind: set[str] = set()  # teams whose history the app may not read (no *:history scope)
        self._lock = threading.Lock()

    @property
    def landing(self) -> float:
        """Seconds a call Slack did not answer may still take to land: as long again as the wait for it."""
        return self._clients.timeout

    def calls(self, row: Claimed, maybe_posted: bool) -> list[tuple[str, str | None]]:
        """The Web API calls (method, channel) sending the row will make, for the limiter to reserve."""
        if self._work is not None and self._work.handles(row):
            return self._work.calls(row, maybe_posted)
        if not self._will_look(row, maybe_posted):
            return [(row.method, row.channel)]
        opening = [("conversations.open", None)] if (row.channel or "")[:1] in ("U", "W") else []
        return [*opening, ("conversations.history", None), (row.method, row.channel)]

    def send(self, row: Claimed, maybe_posted: bool) -> Outcome:
        """Deliver the row once; every failure comes back as an Outcome, never as an exception."""
        if self._work is not None and self._work.handles(row):
            return self._send_work(self._work, row, maybe_posted)
        if row.method not in SUPPORTED or not row.channel:
            return Failed(f"unsupported: {row.method}" if row.channel else "no_channel")
        if row.method == KICK:
            return self._remove(row)
        if unreadable(row.payload):  # sealed under a notes key this process does not have
            return Failed(f"{UNBUILDABLE}sealed with another notes key")
        try:
            message = _build(row)  # before any call: a message that cannot be built was never posted
        except UnknownTemplate:
            return Failed(f"unknown_template: {row.payload.get('template')}")
        except Exception as error:  # a renderer's bug, or Block Kit's limits; args may be private
            logger.warning("outbox row %s: message could not be built (%s)", row.id, type(error).__name__)
            logger.debug("build failure of outbox row %s", row.id, exc_info=True)
            return Failed(f"{UNBUILDABLE}{type(error).__name__}")
        return self._with_token(row, lambda client: self._post(client, row, message, maybe_posted))

    def _post(self, client: WebClient, row: Claimed, message: Built, maybe_posted: bool) -> Outcome:
        if self._will_look(row, maybe_posted):
            try:
                found = self._look(client, row)
            except SlackApiError as error:
                if error_code(error) == TOKEN_EXPIRED or error_code(error) in TOKEN_REFUSED:
                    raise  # about the token, not the conversation: read below, as any call's
                return from_api_error(error, "conversations.history")
            if found is not None:
                return Sent(found, deduplicated=True)
        return Sent(_call(client, row, message))

    def _remove(self, row: Claimed) -> Outcome:
        """Take someone out of a circle's private channel; someone already out of it counts as removed."""
        assert row.channel is not None
        channel = row.channel

        def kick(client: WebClient) -> Outcome:
            try:
                client.conversations_kick(channel=channel, user=str(row.payload.get("user")))
            except SlackApiError as error:
                if error_code(error) != "not_in_channel":
                    raise
                return Sent({"channel": channel, "removed": "already"}, deduplicated=True)
            return Sent({"channel": channel, "removed": True})

        return self._with_token(row, kick)

    def _send_work(self, work: Work, row: Claimed, maybe_posted: bool) -> Outcome:
        return self._with_token(row, lambda client: work.send(client, row, maybe_posted))

    def _with_token(self, row: Claimed, send: Callable[[WebClient], Outcome]) -> Outcome:
        """Send with the tenant's client; when Slack says its token expired (nothing was done with it),
        once more with the token refreshed. Every failure comes back as an Outcome: a token Slack refuses
        (or none) as Refused, so the tenant's messages wait for a reinstall rather than fail one by one; a
        token that could not be refreshed (for now) as Held, the tenant's messages handed back untried."""
        used: WebClient | None = None
        team, org = row.team_id, row.enterprise_id
        try:
            used = client = _refreshed(lambda: self._clients.for_team(team, org))
            try:
                return send(client)
            except SlackApiError as error:
                expired = error_code(error) == TOKEN_EXPIRED
                renewed = _refreshed(lambda: self._clients.renewed(team, org, client)) if expired else None
                if renewed is None:
                    raise
            used = renewed
            return send(renewed)
        except (TenantHeld, NotRefreshed):
            return Held()
        except NoToken:
            return Refused("no_bot_token")
        except SlackApiError as error:
            if error_code(error) in TOKEN_REFUSED:
                # Installed again since this pass looked the token up: the new token is not the one refused.
                replaced = used is not None and self._clients.replaced(row.team_id, row.enterprise_id, used)
                return Held() if replaced else Refused(error_code(error))
            # A call may make more than one: the method Slack refused is in the answer's URL.
            url = getattr(error.response, "api_url", None)
            return from_api_error(error, url.rsplit("/", 1)[-1] if isinstance(url, str) else row.method)
        except OSError as error:  # timeouts, refused and dropped connections (URLError is an OSError)
            return from_os_error(error)

    def _will_look(self, row: Claimed, maybe_posted: bool) -> bool:
        with self._lock:
            return maybe_posted and row.method == POST and row.team_id not in self._blind

    def _look(self, client: WebClient, row: Claimed) -> dict[str, Any] | None:
        assert row.channel is not None
        try:
            return find_posted(client, row.channel, row.key, row.trail.first_claimed_at)
        except SlackApiError as error:
            code = error.response.get("error")
            if code not in CANNOT_LOOK:
                raise  # rate limits and outages: wait and look again rather than post blind
            if code == "missing_scope":
                with self._lock:
                    self._blind.add(row.team_id)
            logger.info("outbox row %s: cannot look for an earlier post (%s); posting again", row.id, code)
            return None


class NotRefreshed(Exception):
    """The tenant's token was due, or expired, and Slack would not refresh it (an outage, a 429, the app's
    own credentials refused): nothing about one message, so its messages wait rather than fail."""


def _refreshed(look_up: Callable[[], _T]) -> _T:
    """The tenant's client as looked up; what Slack answered to a refresh on the way as NotRefreshed (the
    look-up calls Slack for nothing else)."""
    try:
        return look_up()
    except (SlackApiError, OSError) as error:
        code = error_code(error) if isinstance(error, SlackApiError) else type(error).__name__
        raise NotRefreshed(code) from None


@dataclass(frozen=True)
class Built:
    """A message as sent: its fallback text and its blocks, already checked by slack_sdk."""

    text: str
    blocks: list[dict[str, Any]]


def _build(row: Claimed) -> Built:
    message = render(str(row.payload.get("template")), dict(row.payload.get("args") or {}))
    return Built(message.text, message.block_dicts())  # slack_sdk validates here


def _call(client: WebClient, row: Claimed, message: Built) -> dict[str, Any]:
    assert row.channel is not None
    if row.method == POST:
        posted = client.chat_postMessage(
            channel=row.channel, text=message.text, blocks=message.blocks, metadata=metadata(row.key)
        )
        return {"channel": posted["channel"], "ts": posted["ts"]}
    if row.method == "chat.update":
        # An update names the message it replaces in its arguments; applying it twice changes nothing.
        ts = str((row.payload.get("args") or {}).get("ts", ""))
        updated = client.chat_update(channel=row.channel, ts=ts, text=message.text, blocks=message.blocks)
        return {"channel": updated["channel"], "ts": updated["ts"]}
    home = {"type": "home", "blocks": message.blocks}
    published = client.views_publish(user_id=row.channel, view=home)
    return {"user": row.channel, "view_id": (published.get("view") or {}).get("id")}
