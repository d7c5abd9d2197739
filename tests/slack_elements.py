"""Slack's limits for interactive elements: buttons, menus, inputs, options and confirm dialogs."""

from __future__ import annotations

from typing import Any

from tests.slack_mrkdwn import mrkdwn_problems, slack_length, text_problems

BUTTON_TEXT, BUTTON_VALUE, URL, ID = 75, 2000, 3000, 255
PLACEHOLDER = 150
OPTION_TEXT, OPTION_VALUE, OPTION_DESCRIPTION, GROUP_LABEL = 75, 150, 75, 75
SELECT_OPTIONS, SELECT_GROUPS, CHOICE_OPTIONS = 100, 100, 10
OVERFLOW_OPTIONS = (2, 5)
PLAIN_INPUT_MAX = 3000
CONFIRM_TITLE, CONFIRM_TEXT, CONFIRM_BUTTON = 100, 300, 30
SELECTS = ("static_select", "multi_static_select")
CHOICES = ("checkboxes", "radio_buttons")
WITH_PLACEHOLDER = (
    *SELECTS,
    "users_select",
    "multi_users_select",
    "conversations_select",
    "channels_select",
    "datepicker",
    "timepicker",
    "plain_text_input",
    "number_input",
)


def element_problems(element: dict[str, Any]) -> list[str]:
    """One interactive element, with its options and confirm dialog."""
    kind = element.get("type", "?")
    found = too_long(element, "action_id", ID, kind)
    if kind == "button":
        found += _text(element.get("text"), BUTTON_TEXT, "button text")
        found += too_long(element, "value", BUTTON_VALUE, "button") + too_long(element, "url", URL, "button")
    if kind in WITH_PLACEHOLDER and element.get("placeholder") is not None:
        found += _text(element["placeholder"], PLACEHOLDER, f"{kind} placeholder")
    if kind in SELECTS:
        found += _select(element)
    if kind in CHOICES:
        options = element.get("options") or []
        if not 1 <= len(options) <= CHOICE_OPTIONS:
            found.append(f"{kind}: {len(options)} options (1–{CHOICE_OPTIONS})")
        found += _options(options, kind, mrkdwn_allowed=True)
    if kind == "overflow":
        options = element.get("options") or []
        low, high = OVERFLOW_OPTIONS
        if not low <= len(options) <= high:
            found.append(f"overflow: {len(options)} options ({low}–{high})")
        found += _options(options, kind)
    if kind == "plain_text_input":
        found += _plain_input(element)
    chosen = element.get("initial_users") or element.get("initial_options") or []
    if element.get("max_selected_items") is not None and len(chosen) > element["max_selected_items"]:
        found.append(
            f"{len(chosen)} chosen at first, more than max_selected_items {element['max_selected_items']}"
        )
    if element.get("confirm") is not None:
        found += _confirm(element["confirm"])
    return [f"{kind}: {p}" if not p.startswith(kind) else p for p in found]


def too_long(data: dict[str, Any], key: str, limit: int, where: str = "") -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    label = f"{where} {key}".strip()
    if not isinstance(value, str):
        return [f"{label} is not a string"]
    if not 1 <= slack_length(value) <= limit:
        return [f"{label}: {slack_length(value)} characters (1–{limit})"]
    return text_problems(value)


def _text(obj: Any, limit: int, where: str, *, mrkdwn_allowed: bool = False) -> list[str]:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return [f"{where}: not a text object"]
    text, kind = obj["text"], obj.get("type")
    found = []
    if kind != "plain_text" and not (mrkdwn_allowed and kind == "mrkdwn"):
        found.append(f"{where}: must be plain_text, is {kind}")
    if not 1 <= slack_length(text) <= limit:
        found.append(f"{where}: {slack_length(text)} characters (1–{limit})")
    found += [f"{where}: {p}" for p in (mrkdwn_problems(text) if kind == "mrkdwn" else text_problems(text))]
    return found


def _select(element: dict[str, Any]) -> list[str]:
    options, groups = element.get("options") or [], element.get("option_groups") or []
    found = []
    if bool(options) == bool(groups):
        found.append("needs options or option_groups (one of them)")
    if len(options) > SELECT_OPTIONS:
        found.append(f"{len(options)} options, more than {SELECT_OPTIONS}")
    if len(groups) > SELECT_GROUPS:
        found.append(f"{len(groups)} option groups, more than {SELECT_GROUPS}")
    found += _options(options, "option")
    every = list(options)
    for group in groups:
        found += _text(group.get("label"), GROUP_LABEL, "option group label")
        inner = group.get("options") or []
        if not 1 <= len(inner) <= SELECT_OPTIONS:
            found.append(f"option group: {len(inner)} options (1–{SELECT_OPTIONS})")
        found += _options(inner, "grouped option")
        every += inner
    chosen = [element["initial_option"]] if element.get("initial_option") else []
    for initial in chosen + list(element.get("initial_options") or []):
        if initial not in every:
            found.append(f"initial option {initial.get('value')!r} is not one of the options")
    return found


def _options(options: list[dict[str, Any]], where: str, *, mrkdwn_allowed: bool = False) -> list[str]:
    found = []
    for option in options:
        found += _text(option.get("text"), OPTION_TEXT, f"{where} text", mrkdwn_allowed=mrkdwn_allowed)
        found += too_long(option, "value", OPTION_VALUE, where)
        if option.get("description") is not None:
            found += _text(option["description"], OPTION_DESCRIPTION, f"{where} description")
    values = [o.get("value") for o in options]
    if len(set(values)) != len(values):
        found.append(f"{where}s share a value")
    return found


def _plain_input(element: dict[str, Any]) -> list[str]:
    found = []
    longest = element.get("max_length", PLAIN_INPUT_MAX)
    if not 1 <= longest <= PLAIN_INPUT_MAX:
        found.append(f"max_length {longest} (1–{PLAIN_INPUT_MAX})")
    if element.get("min_length", 0) > min(longest, PLAIN_INPUT_MAX):
        found.append(f"min_length {element['min_length']} above max_length {longest}")
    initial = element.get("initial_value")
    if initial is not None and slack_length(initial) > min(longest, PLAIN_INPUT_MAX):
        found.append(f"initial_value: {slack_length(initial)} characters, more than max_length {longest}")
    return found


def _confirm(confirm: dict[str, Any]) -> list[str]:
    found = _text(confirm.get("title"), CONFIRM_TITLE, "confirm title")
    found += _text(confirm.get("text"), CONFIRM_TEXT, "confirm text", mrkdwn_allowed=True)
    for key in ("confirm", "deny"):
        found += _text(confirm.get(key), CONFIRM_BUTTON, f"confirm {key}")
    return found
