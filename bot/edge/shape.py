"""The least a signed body must look like before Bolt reads it: anything else is answered 400."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from bot.edge.tenant import is_org_event

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# Fields Bolt reads while building a request's context: when present they must have these types,
# or Bolt fails before any listener (and its error handling) runs.
_OBJECTS = (
    "view",
    "container",
    "message",
    "previous_message",
    "event",
    "item",
    "assistant_thread",
    "function_data",
    "state",
)
_OBJECT_OR_TEXT = ("team", "user", "channel", "enterprise")
_IDS = ("team_id", "user_id", "channel_id", "enterprise_id")
# Where else Bolt looks for the team, enterprise, person and conversation of an event: the event itself,
# what it is about (an edit's message, a deletion's previous message, a reaction's item) and the first
# authorization. A number there fails Bolt before any listener runs, so the same rules hold there too.
_INSIDE_AN_EVENT = ("message", "previous_message", "item", "assistant_thread")
_LISTS_OF_OBJECTS = ("actions", "authorizations", "response_urls")
_TEXTS = (
    "type",
    "command",
    "callback_id",
    "trigger_id",
    "response_url",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise_id",
)
_TEXTS_IN_EVENT = ("type", "subtype", "user_team")
_TEXTS_IN_ACTION = ("type", "action_id", "block_id")  # Bolt matches listeners on these with regexes
_ABOUT_A_VIEW = ("view_submission", "view_closed")
# What Slack puts in every payload of these types, and the listeners use: a press opens forms with its
# trigger_id, and a press inside a view or a submission redraws that view by its id.
_WITH_A_TRIGGER = ("block_actions", "view_submission", "shortcut", "message_action")


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def decoded(body: bytes, content_type: str) -> dict[str, Any] | None:
    """The body as Bolt will read it, when it has the shape of something Slack sends; None otherwise."""
    try:
        text = body.decode("utf-8")
        kind = media_type(content_type)
        if kind == JSON:
            data = json.loads(text)
        elif kind == FORM:
            data = form_fields(text, strict=True)
        else:
            return None
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return shaped(data)


def form_fields(text: str, *, strict: bool = False) -> Any:
    """A form body as Slack means it: an interactive payload's JSON when it has a `payload` field, else its
    fields (a repeated name: its last value). `strict` refuses a body that is not well formed (ValueError)."""
    fields = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=strict and bool(text)))
    return json.loads(fields["payload"]) if "payload" in fields else fields


def shaped(data: Any) -> dict[str, Any] | None:
    """A payload already read (Socket Mode's, say), when it has the shape of something Slack sends."""
    return data if isinstance(data, dict) and _names_itself(data) and _well_formed(data) else None


def _names_itself(data: dict[str, Any]) -> bool:
    """Slack's payloads say what they are: a type, or (form fields) a command or an SSL check."""
    return any(data.get(name) for name in ("type", "command", "ssl_check"))


def _well_formed(data: dict[str, Any]) -> bool:
    if any(not isinstance(data.get(name, {}), dict | None) for name in _OBJECTS):
        return False
    if not isinstance(data.get("event", {}), dict):
        return False
    if data.get("type") == "event_callback" and not data.get("event"):
        return False  # Bolt reads the event's fields for every event_callback, before any listener runs
    if not all(_names_readable(place) for place in _places_bolt_reads(data)):
        return False
    if any(not isinstance(data.get(name, ""), str) for name in _TEXTS if not _null_team(data, name)):
        return False
    for name in _LISTS_OF_OBJECTS:
        items = data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            return False
    if data.get("type") == "block_actions" and not data.get("actions"):
        return False  # an action without the action: nothing to answer
    if any(
        not isinstance(action.get(name, ""), str)
        for action in data.get("actions", [])
        for name in _TEXTS_IN_ACTION
    ):
        return False
    if data.get("type") in _WITH_A_TRIGGER and not data.get("trigger_id"):
        return False
    if data.get("type") in _ABOUT_A_VIEW and not _a_view(data.get("view")):
        return False  # Bolt routes these by the view's callback_id and type before any listener runs
    if data.get("view") is not None and not isinstance(data["view"].get("id"), str):
        return False
    event = data.get("event") or {}
    return all(isinstance(event.get(name, ""), str) for name in _TEXTS_IN_EVENT)


def _null_team(data: dict[str, Any], name: str) -> bool:
    """An org event's envelope may name no team (`"team_id": null`, in Slack's older reference): Bolt
    then reads the team from the authorization, or finds none, as for an org-wide install."""
    return name == "team_id" and data.get(name) is None and is_org_event(data)


def _places_bolt_reads(data: dict[str, Any]) -> list[dict[str, Any]]:
    event = data["event"] if isinstance(data.get("event"), dict) else {}
    authorizations = data.get("authorizations")
    first = authorizations[:1] if isinstance(authorizations, list) else []
    places = [data, event, *(event.get(name) for name in _INSIDE_AN_EVENT), *first]
    return [place for place in places if isinstance(place, dict)]


def _names_readable(place: dict[str, Any]) -> bool:
    """Team, enterprise, person and conversation given as text or an object, their ids as text or null."""
    return all(isinstance(place.get(name), dict | str | None) for name in _OBJECT_OR_TEXT) and all(
        isinstance(place.get(name), str | None) for name in _IDS
    )


def _a_view(view: Any) -> bool:
    return isinstance(view, dict) and all(isinstance(view.get(name), str) for name in ("type", "callback_id"))


def event_id(data: dict[str, Any]) -> str | None:
    """The Events API's id of an event: the same on each of Slack's retries of it."""
    value = data.get("event_id")
    if data.get("type") == "event_callback" and isinstance(value, str) and 0 < len(value) <= 64:
        return value
    return None
