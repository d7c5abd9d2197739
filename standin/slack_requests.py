"""Requests exactly as Slack sends them to an app's /slack/events, signed with the app's signing secret."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from . import defaults
from .functions import function_executed_event
from .grid import Grid, command_fields, interactive_fields
from .payloads import action_element, complete_view, event_envelope, message_container, trigger_id, user_ref
from .signed import FORM, JSON, JsonDict, SignedRequest, post

if TYPE_CHECKING:
    from .server import SlackStandIn

__all__ = ["SignedRequest", "Signer", "complete_view", "post"]

# Slack's own headers besides the signature ones; some frameworks log or check them.
_SLACK_HEADERS = {
    "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    "Accept": "application/json,*/*",
}


class Signer:
    """Builds signed Slack requests for one app; timestamps come from now() unless given."""

    def __init__(
        self,
        signing_secret: str,
        now: Callable[[], float] | None = None,
        *,
        standin: SlackStandIn | None = None,
        team_domain: str = defaults.DEFAULT_TEAM_DOMAIN,
        api_app_id: str = defaults.APP_ID,
        verification_token: str = defaults.VERIFICATION_TOKEN,
    ) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.now = now or time.time
        self.standin = standin  # when given, response_urls default to its hooks endpoint
        self.team_domain = team_domain
        self.api_app_id = api_app_id
        self.verification_token = verification_token

    def sign(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> SignedRequest:
        """Sign a body as Slack does (timestamp in seconds; pass an old one to build a stale request)."""
        ts = str(int(self.now()) if timestamp is None else timestamp)
        signature = self.verifier.generate_signature(timestamp=ts, body=body)
        assert signature is not None  # only None when the timestamp is None
        headers = {
            **_SLACK_HEADERS,
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            **(extra_headers or {}),
        }
        return SignedRequest(body, headers)

    def default_response_url(self, name: str) -> str:
        """The stand-in's hooks endpoint, or a local port nobody listens on when there is no stand-in."""
        return self.standin.response_url(name) if self.standin else f"http://127.0.0.1:9/response/{name}"

    def slash_command(
        self,
        text: str,
        *,
        user_id: str,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        channel_id: str = "C0GENERAL01",
        channel_name: str | None = None,
        response_url: str | None = None,
        trigger_id: str | None = None,
        command: str = "/circles",
        user_name: str | None = None,
        timestamp: int | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
    ) -> SignedRequest:
        """A slash command invocation, form-encoded with every field Slack sends (Grid fields when given)."""
        if channel_name is None:
            channel_name = "directmessage" if channel_id.startswith("D") else "general"
        fields = {
            "token": self.verification_token,
            "team_id": team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            **command_fields(Grid(enterprise_id, is_enterprise_install)),
            "response_url": response_url or self.default_response_url(command.strip("/")),
            "trigger_id": trigger_id or _new_trigger_id(),
        }
        return self.sign(urlencode(fields).encode(), FORM, timestamp=timestamp)

    def block_action(
        self,
        action_id: str,
        *,
        user_id: str,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        value: str | None = None,
        block_id: str = "actions",
        action_type: str = "button",
        view: JsonDict | None = None,
        channel_id: str | None = None,
        message: JsonDict | None = None,
        response_url: str | None = None,
        trigger_id: str | None = None,
        user_name: str | None = None,
        action_extra: Mapping[str, Any] | None = None,
        timestamp: int | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
    ) -> SignedRequest:
        """A block_actions payload from a view (when view is given) or a message in channel_id."""
        action = action_element(action_id, block_id, action_type, value, f"{self.now():.6f}")
        action.update(action_extra or {})
        grid = Grid(enterprise_id, is_enterprise_install)
        payload = self._interactive_base("block_actions", user_id, team_id, user_name, grid)
        payload.update(container={}, trigger_id=trigger_id or _new_trigger_id())
        if view is not None:
            full = complete_view(view, team_id, self.api_app_id)
            payload.update(container={"type": "view", "view_id": full["id"]}, view=full, state=full["state"])
        elif channel_id is not None:
            shown = message or {"type": "message", "ts": f"{self.now():.6f}", "text": "", "blocks": []}
            payload.update(message_container(channel_id, shown))
            # Actions on messages always come with a response_url; those in views never do.
            response_url = response_url or self.default_response_url(action_id)
        if response_url is not None:
            payload["response_url"] = response_url
        payload["actions"] = [action]
        return self._interactive(payload, timestamp)

    def view_submission(
        self,
        callback_id: str,
        *,
        user_id: str,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        values: JsonDict,
        private_metadata: str = "",
        view_id: str = "V0SUBMIT001",
        blocks: list[JsonDict] | None = None,
        user_name: str | None = None,
        timestamp: int | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
    ) -> SignedRequest:
        """A view_submission payload; values is state.values ({block_id: {action_id: {type, value}}})."""
        fields = {"id": view_id, "callback_id": callback_id, "private_metadata": private_metadata}
        view = complete_view(
            {**fields, "blocks": blocks or [], "state": {"values": values}}, team_id, self.api_app_id
        )
        grid = Grid(enterprise_id, is_enterprise_install)
        payload = self._interactive_base("view_submission", user_id, team_id, user_name, grid)
        payload.update(trigger_id=_new_trigger_id(), view=view, response_urls=[])
        return self._interactive(payload, timestamp)

    def event(
        self,
        event: Mapping[str, Any],
        *,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        event_id: str | None = None,
        retry_num: int | None = None,
        timestamp: int | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
    ) -> SignedRequest:
        """An Events API event_callback envelope; retry_num adds Slack's retry headers."""
        grid = Grid(enterprise_id, is_enterprise_install)
        envelope = event_envelope(
            dict(event), team_id, self.api_app_id, self.verification_token, event_id, self.now(), grid
        )
        retry = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        extra = retry if retry_num is not None else None
        return self.sign(json.dumps(envelope).encode(), JSON, timestamp=timestamp, extra_headers=extra)

    def app_home_opened(
        self,
        user_id: str,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        tab: str = "home",
        view: JsonDict | None = None,
        timestamp: int | None = None,
    ) -> SignedRequest:
        """The app_home_opened event (it carries a view only once a Home has been published)."""
        channel = defaults.dm_channel_id(user_id)
        event: JsonDict = {"type": "app_home_opened", "user": user_id, "channel": channel, "tab": tab}
        if view is not None:
            event["view"] = complete_view({"type": "home", **view}, team_id, self.api_app_id)
        return self.event(event, team_id=team_id, timestamp=timestamp)

    def function_executed(
        self,
        callback_id: str,
        inputs: Mapping[str, Any],
        *,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        execution_id: str | None = None,
        event_id: str | None = None,
    ) -> SignedRequest:
        """A workflow reached the app's step `callback_id` with these inputs (Workflow Builder)."""
        event = function_executed_event(
            callback_id, inputs, execution_id=execution_id, app_id=self.api_app_id
        )
        return self.event(event, team_id=team_id, event_id=event_id)

    def url_verification(self, challenge: str, *, timestamp: int | None = None) -> SignedRequest:
        """The handshake Slack sends when the Request URL is configured."""
        body = {"token": self.verification_token, "challenge": challenge, "type": "url_verification"}
        return self.sign(json.dumps(body).encode(), JSON, timestamp=timestamp)

    def _interactive_base(
        self, kind: str, user_id: str, team_id: str, user_name: str | None, grid: Grid
    ) -> JsonDict:
        payload = {
            "type": kind,
            "user": user_ref(user_id, team_id, user_name),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            **interactive_fields(grid, team_id),
        }
        payload["team"]["domain"] = self.team_domain
        return payload

    def _interactive(self, payload: JsonDict, timestamp: int | None) -> SignedRequest:
        # Interactivity payloads travel as one form field holding JSON.
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.sign(body, FORM, timestamp=timestamp)


# The builders' trigger_id parameter shadows the helper's name inside them.
_new_trigger_id = trigger_id
