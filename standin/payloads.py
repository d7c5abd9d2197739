"""Pieces of the payloads Slack sends apps, with realistic defaults."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from . import defaults
from .grid import Grid, event_fields

JsonDict = dict[str, Any]


def trigger_id() -> str:
    """Looks like Slack's: 13345224609.738474920.8088930838d88f008e0."""
    return f"{secrets.randbelow(10**11):011d}.{secrets.randbelow(10**9):09d}.{secrets.token_hex(16)}"


def user_ref(user_id: str, team_id: str, user_name: str | None) -> JsonDict:
    """The user object of interactive payloads."""
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def complete_view(view: Mapping[str, Any], team_id: str, app_id: str = defaults.APP_ID) -> JsonDict:
    """A view as Slack includes it in payloads: the given fields over realistic defaults."""
    view_id = str(view.get("id", "V0VIEW00001"))
    full: JsonDict = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "hash": f"1700000000.{view_id[-8:].lower()}",
        "title": {"type": "plain_text", "text": defaults.APP_NAME, "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": defaults.bot_id(team_id),
    }
    full.update(view)
    return full


def action_element(
    action_id: str, block_id: str, action_type: str, value: str | None, action_ts: str
) -> JsonDict:
    """One entry of a block_actions payload's actions list."""
    action: JsonDict = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": action_ts,
    }
    if action_type == "static_select" and value is not None:
        option_text = {"type": "plain_text", "text": value, "emoji": True}
        action["selected_option"] = {"text": option_text, "value": value}
    elif value is not None:
        action["value"] = value
    if action_type == "button":
        action["text"] = {"type": "plain_text", "text": action_id, "emoji": True}
    return action


def message_container(channel_id: str, message: JsonDict) -> JsonDict:
    """The container, channel and message fields of an action taken on a message."""
    return {
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "channel": {"id": channel_id, "name": "directmessage" if channel_id[0] == "D" else "general"},
        "message": message,
        "state": {"values": {}},
    }


def event_envelope(
    event: JsonDict,
    team_id: str,
    app_id: str,
    token: str,
    event_id: str | None,
    now: float,
    grid: Grid | None = None,
) -> JsonDict:
    """The event_callback wrapper the Events API puts around every event."""
    envelope = {
        "token": token,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": app_id,
        "event": {"event_ts": f"{now:.6f}", **event},
        "type": "event_callback",
        "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
        "event_time": int(now),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": defaults.bot_user_id(team_id),
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{secrets.token_urlsafe(24)}",
    }
    if grid is not None and grid.enterprise_id is not None:
        envelope.update(event_fields(grid, team_id))
    return envelope
