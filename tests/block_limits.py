"""Slack's Block Kit limits, checked on rendered surfaces: a list of what breaks them (empty when none)."""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
TEXT = 3000  # a section's text, a context element's text
HEADER = 150
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ID = 255  # action_id, block_id, callback_id
MODAL_TITLE = 24  # title, submit and close
PRIVATE_METADATA = 3000
OPTIONS = 100


def message_problems(blocks: list[dict[str, Any]]) -> list[str]:
    return _blocks(blocks, MESSAGE_BLOCKS)


def view_problems(view: dict[str, Any]) -> list[str]:
    problems = _blocks(view.get("blocks", []), VIEW_BLOCKS)
    if view.get("type") == "modal":
        for part in ("title", "submit", "close"):
            text = (view.get(part) or {}).get("text", "")
            if len(text) > MODAL_TITLE:
                problems.append(f"modal {part} has {len(text)} characters")
        if not (view.get("title") or {}).get("text"):
            problems.append("modal without a title")
    if len(view.get("private_metadata", "")) > PRIVATE_METADATA:
        problems.append("private_metadata too long")
    if len(view.get("callback_id", "")) > ID:
        problems.append("callback_id too long")
    return problems


def _blocks(blocks: list[dict[str, Any]], limit: int) -> list[str]:
    problems = [f"{len(blocks)} blocks (at most {limit})"] if len(blocks) > limit else []
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        problems.append("block_ids repeat")
    problems += [f"block_id {b!r} too long" for b in block_ids if len(b) > ID]
    for n, block in enumerate(blocks):
        problems += [f"block {n} ({block['type']}): {p}" for p in _block(block)]
    return problems


def _block(block: dict[str, Any]) -> list[str]:
    kind = block["type"]
    problems: list[str] = []
    if kind == "section":
        problems += _text(block.get("text"), TEXT)
        if not block.get("text") and not block.get("fields"):
            problems.append("a section needs text or fields")
        if "accessory" in block:
            problems += _element(block["accessory"])
    elif kind == "header":
        problems += _text(block.get("text"), HEADER)
    elif kind == "context":
        elements = block.get("elements", [])
        if not 1 <= len(elements) <= CONTEXT_ELEMENTS:
            problems.append(f"{len(elements)} context elements")
        for element in elements:
            problems += _text(element, TEXT)
    elif kind == "actions":
        elements = block.get("elements", [])
        if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
            problems.append(f"{len(elements)} elements in an actions block")
        action_ids = [e.get("action_id") for e in elements]
        if len(action_ids) != len(set(action_ids)):
            problems.append("action_ids repeat within a block")
        for element in elements:
            problems += _element(element)
    elif kind == "input":
        problems += _element(block.get("element", {}))
    return problems


def _element(element: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if len(element.get("action_id", "")) > ID:
        problems.append("action_id too long")
    if element.get("type") == "button":
        problems += _text(element.get("text"), BUTTON_TEXT)
        if len(element.get("value", "")) > BUTTON_VALUE:
            problems.append("button value too long")
    options = element.get("options")
    if options is not None and not 1 <= len(options) <= OPTIONS:
        problems.append(f"{len(options)} options")
    return problems


def _text(text: dict[str, Any] | None, limit: int) -> list[str]:
    if text is None:
        return []
    body = str(text.get("text", ""))
    if not body:
        return ["empty text"]
    return [f"text of {len(body)} characters (at most {limit})"] if len(body) > limit else []
