"""Read and check the parts of an instrument file: its scales, items and subscales."""

from __future__ import annotations

import re
from typing import Any

from instruments.model import InstrumentError, Item, Scale, Subscale

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")  # ids become column names in an export
TEXT_SCALE = "text"  # `scale: text` marks a free-text item
ITEM_TEXT_LIMIT = 300
LABEL_LIMIT = 75  # a Slack modal option's text holds 75 characters
TITLE_LIMIT = 150
SCALE_KEYS = {"id", "min", "max", "labels"}
ITEM_KEYS = {"id", "text", "scale", "reverse", "subscale"}
SUBSCALE_KEYS = {"id", "title", "items", "min_answered"}


def fields(where: str, entry: Any, known: set[str], required: set[str]) -> dict[str, Any]:
    """The entry as a mapping with no unknown and no missing fields."""
    if not isinstance(entry, dict):
        raise InstrumentError(f"{where}: expected a mapping with {', '.join(sorted(required))}")
    unknown = set(entry) - known
    if unknown:
        raise InstrumentError(f"{where}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    missing = required - set(entry)
    if missing:
        raise InstrumentError(f"{where}: missing field(s): {', '.join(sorted(missing))}")
    return entry


def text(where: str, key: str, value: Any, limit: int) -> str:
    """Non-empty text within its limit, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise InstrumentError(f"{where}: {key}: must be non-empty text")
    if len(value.strip()) > limit:
        raise InstrumentError(f"{where}: {key}: {len(value.strip())} characters, at most {limit}")
    return value.strip()


def whole(where: str, key: str, value: Any) -> int:
    """A whole number (YAML's true and false are not numbers)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InstrumentError(f"{where}: {key}: must be a whole number")
    return value


def identifier(where: str, value: Any) -> str:
    """An id fit for a column name: lowercase letters, digits and _ (at most 32)."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InstrumentError(f"{where}: id: must be lowercase letters, digits or _ (at most 32)")
    return value


def label_of(index: int, entry: Any) -> str:
    """How an entry is named in an error: its id when it has one, else its position."""
    named = entry.get("id") if isinstance(entry, dict) else None
    return str(named) if named not in (None, "") else f"#{index}"


def scale(path: str, index: int, entry: Any) -> Scale:
    """One response scale: whole numbers min..max, one label per value."""
    where = f"{path}: scale {label_of(index, entry)}"
    entry = fields(where, entry, SCALE_KEYS, SCALE_KEYS)
    scale_id = identifier(where, entry["id"])
    if scale_id == TEXT_SCALE:
        raise InstrumentError(f"{where}: id: {TEXT_SCALE!r} is kept for free-text items")
    low, high = whole(where, "min", entry["min"]), whole(where, "max", entry["max"])
    if low >= high:
        raise InstrumentError(f"{where}: min ({low}) must be less than max ({high})")
    labels = entry["labels"]
    if not isinstance(labels, list) or len(labels) != high - low + 1:
        raise InstrumentError(f"{where}: labels: expected {high - low + 1}, one for each value {low}..{high}")
    return Scale(scale_id, low, high, tuple(text(where, "labels", label, LABEL_LIMIT) for label in labels))


def item(path: str, index: int, entry: Any, scales: dict[str, Scale]) -> Item:
    """One question, on a named scale or `text`, maybe reverse-scored, maybe in a subscale."""
    where = f"{path}: item {label_of(index, entry)}"
    entry = fields(where, entry, ITEM_KEYS, {"id", "text", "scale"})
    item_id = identifier(where, entry["id"])
    scale_id = entry["scale"]
    if scale_id != TEXT_SCALE and scale_id not in scales:
        raise InstrumentError(f"{where}: scale: {scale_id!r} is not a scale of this instrument")
    reverse = entry.get("reverse", False)
    if not isinstance(reverse, bool):
        raise InstrumentError(f"{where}: reverse: must be true or false")
    if reverse and scale_id == TEXT_SCALE:
        raise InstrumentError(f"{where}: reverse: a free-text item cannot be reverse-scored")
    subscale_id = entry.get("subscale")
    if subscale_id is not None and not isinstance(subscale_id, str):
        raise InstrumentError(f"{where}: subscale: must be a subscale's id")
    return Item(
        item_id,
        text(where, "text", entry["text"], ITEM_TEXT_LIMIT),
        None if scale_id == TEXT_SCALE else scales[scale_id],
        reverse,
        subscale_id,
    )


def subscale(path: str, index: int, entry: Any, items: dict[str, Item]) -> Subscale:
    """One subscale: scored items on one scale and how many must be answered for a score."""
    where = f"{path}: subscale {label_of(index, entry)}"
    entry = fields(where, entry, SUBSCALE_KEYS, SUBSCALE_KEYS)
    subscale_id = identifier(where, entry["id"])
    members = entry["items"]
    if not isinstance(members, list) or not members:
        raise InstrumentError(f"{where}: items: must be a non-empty list of item ids")
    for member in members:
        if member not in items:
            raise InstrumentError(f"{where}: items: {member!r} is not an item of this instrument")
        if items[member].scale is None:
            raise InstrumentError(f"{where}: items: {member!r} is free text and cannot be scored")
    if len(set(members)) != len(members):
        raise InstrumentError(f"{where}: items: an item is listed twice")
    if len({items[member].scale for member in members}) > 1:
        raise InstrumentError(f"{where}: items: all must share one scale to be averaged")
    least = whole(where, "min_answered", entry["min_answered"])
    if not 1 <= least <= len(members):
        raise InstrumentError(f"{where}: min_answered: must be between 1 and {len(members)}")
    title = text(where, "title", entry["title"], TITLE_LIMIT)
    return Subscale(subscale_id, title, tuple(members), least)
