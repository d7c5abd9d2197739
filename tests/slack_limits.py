"""Slack's documented Block Kit limits, checked on any message, modal or Home view the app builds.

Numbers from Slack's Block Kit reference (blocks, block elements, composition objects, view objects,
chat.postMessage). `problems()` lists every violation in words; `assert_within_limits()` fails a test
with that list. A surface is a `Message`, a slack_sdk `View`, or the dict of either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.views import View

from bot.views.message import Message
from tests.slack_elements import element_problems, too_long
from tests.slack_mrkdwn import mrkdwn_problems, slack_length, text_problems

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
MESSAGE_TEXT = 40_000
SECTION_TEXT, SECTION_FIELDS, FIELD_TEXT = 3000, 10, 2000
HEADER_TEXT, CONTEXT_ELEMENTS, ACTIONS_ELEMENTS = 150, 10, 25
LABEL, HINT, ID = 2000, 2000, 255
MODAL_TITLE, MODAL_BUTTON, PRIVATE_METADATA = 24, 24, 3000
METADATA_EVENT_TYPE = 255
EVENT_TYPE = re.compile(r"[A-Za-z0-9_]+")


class SlackLimitsExceeded(AssertionError):
    """A surface Slack would refuse or mangle, with every reason."""


def assert_within_limits(surface: object, *, typed: Iterable[str] = ()) -> None:
    """Fail with a readable list when the surface breaks any limit; `typed` is what people wrote into it."""
    found = problems(surface, typed=typed)
    if found:
        raise SlackLimitsExceeded(f"{len(found)} problem(s):\n- " + "\n- ".join(found))


def problems(surface: object, *, typed: Iterable[str] = ()) -> list[str]:
    """Every way the surface breaks Slack's limits, in words; empty when Slack would take it as it is."""
    ampersand = any("&" in text for text in typed)
    found: list[str] = []
    data = _as_dict(surface, found)
    if data.get("type") in ("modal", "home"):
        found += _view_problems(data)
        limit = VIEW_BLOCKS
    else:
        found += _message_problems(data, ampersand)
        limit = MESSAGE_BLOCKS
    blocks = data.get("blocks") or []
    if len(blocks) > limit:
        found.append(f"{len(blocks)} blocks, more than {limit}")
    for index, block in enumerate(blocks):
        found += [f"block {index} ({block.get('type')}): {p}" for p in block_problems(block, ampersand)]
    named = [block["block_id"] for block in blocks if block.get("block_id")]
    if len(set(named)) != len(named):
        found.append(f"block_ids used twice: {sorted({b for b in named if named.count(b) > 1})}")
    return found


def block_problems(block: dict[str, Any], ampersand: bool = False) -> list[str]:
    kind = block.get("type")
    found = too_long(block, "block_id", ID)
    if kind == "section":
        found += _section(block, ampersand)
    elif kind == "header":
        found += text_object(block.get("text"), HEADER_TEXT, "text", ampersand, plain_only=True)
    elif kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= CONTEXT_ELEMENTS:
            found.append(f"{len(elements)} context elements (1–{CONTEXT_ELEMENTS})")
        for element in elements:
            if element.get("type") in ("mrkdwn", "plain_text"):
                found += text_object(element, SECTION_TEXT, "context text", ampersand)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
            found.append(f"{len(elements)} action elements (1–{ACTIONS_ELEMENTS})")
        for element in elements:
            found += element_problems(element)
    elif kind == "input":
        found += text_object(block.get("label"), LABEL, "label", ampersand, plain_only=True)
        if block.get("hint") is not None:
            found += text_object(block.get("hint"), HINT, "hint", ampersand, plain_only=True)
        found += element_problems(block.get("element") or {})
    return found


def text_object(
    obj: Any, limit: int, where: str, ampersand: bool = False, *, plain_only: bool = False
) -> list[str]:
    """A text object: present, of the right type, 1 to `limit` characters, and safe when it is mrkdwn."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return [f"{where}: not a text object ({obj!r:.60})"]
    text, kind = obj["text"], obj.get("type")
    found = []
    if plain_only and kind != "plain_text":
        found.append(f"{where}: must be plain_text, is {kind}")
    if not 1 <= slack_length(text) <= limit:
        found.append(f"{where}: {slack_length(text)} characters (1–{limit})")
    if kind == "mrkdwn":
        found += [f"{where}: {p}" for p in mrkdwn_problems(text, typed_ampersand=ampersand)]
    else:
        found += [f"{where}: {p}" for p in text_problems(text)]
    return found


def _section(block: dict[str, Any], ampersand: bool) -> list[str]:
    found: list[str] = []
    fields = block.get("fields") or []
    if block.get("text") is None and not fields:
        found.append("a section needs text or fields")
    if block.get("text") is not None:
        found += text_object(block["text"], SECTION_TEXT, "text", ampersand)
    if len(fields) > SECTION_FIELDS:
        found.append(f"{len(fields)} fields, more than {SECTION_FIELDS}")
    for field in fields:
        found += text_object(field, FIELD_TEXT, "field", ampersand)
    if block.get("accessory"):
        found += element_problems(block["accessory"])
    return found


def _message_problems(data: dict[str, Any], ampersand: bool) -> list[str]:
    text = data.get("text")
    found = []
    if not isinstance(text, str) or not text:
        found.append("a message needs fallback text (notifications show it)")
    elif slack_length(text) > MESSAGE_TEXT:
        found.append(f"fallback text: {slack_length(text)} characters, more than {MESSAGE_TEXT}")
    else:
        found += [f"fallback text: {p}" for p in mrkdwn_problems(text, typed_ampersand=ampersand)]
    metadata = data.get("metadata")
    if metadata is not None:
        event_type, payload = metadata.get("event_type"), metadata.get("event_payload")
        if not isinstance(event_type, str) or not EVENT_TYPE.fullmatch(event_type):
            found.append(f"metadata event_type {event_type!r} is not a word of letters, digits and _")
        if not isinstance(payload, dict):
            found.append("metadata needs an event_payload object")
        found += too_long(metadata, "event_type", METADATA_EVENT_TYPE, "metadata")
    return found


def _view_problems(view: dict[str, Any]) -> list[str]:
    found = too_long(view, "private_metadata", PRIVATE_METADATA) + too_long(view, "callback_id", ID)
    found += too_long(view, "external_id", ID)
    if view["type"] == "modal":
        found += text_object(view.get("title"), MODAL_TITLE, "title", plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                found += text_object(view[key], MODAL_BUTTON, key, plain_only=True)
        if any(b.get("type") == "input" for b in view.get("blocks") or []) and view.get("submit") is None:
            found.append("a modal with inputs needs a submit button")
    return found


def _as_dict(surface: object, found: list[str]) -> dict[str, Any]:
    if isinstance(surface, Message):
        return {"text": surface.text, "blocks": [_object_dict(b, found) for b in surface.blocks]}
    if isinstance(surface, View):
        return _object_dict(surface, found)
    if isinstance(surface, dict):
        return surface
    raise TypeError(f"not a Slack surface: {type(surface).__name__}")


def _object_dict(obj: JsonObject, found: list[str]) -> dict[str, Any]:
    """The object's JSON; when slack_sdk refuses it, that is a problem too, and its raw JSON is checked."""
    try:
        return obj.to_dict()
    except SlackObjectFormationError as refused:
        found.append(f"slack_sdk refuses a {type(obj).__name__}: {refused}")
    with _unvalidated():
        return obj.to_dict()


@contextmanager
def _unvalidated() -> Iterator[None]:
    with mock.patch.object(JsonObject, "validate_json", return_value=None):
        yield
