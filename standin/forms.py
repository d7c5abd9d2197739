"""Fill in a modal as a person would: state.values exactly as Slack submits them."""

from __future__ import annotations

from typing import Any

JsonDict = dict[str, Any]


def submitted_values(view: JsonDict, changes: dict[str, Any] | None = None) -> JsonDict:
    """Every input block's current value (its initial one unless changed), keyed as Slack keys them.

    changes maps a block_id to the new value: text for text/number inputs, an option value for
    selects and radio buttons, a list of option values for multi-selects, "HH:MM" for time pickers,
    "YYYY-MM-DD" for date pickers, a list of user IDs for user selects, or None to leave an optional
    input empty.
    """
    changes = changes or {}
    values: JsonDict = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id = block["block_id"]
        value = changes[block_id] if block_id in changes else _initial(element)
        values[block_id] = {element["action_id"]: _state(element, value)}
    return values


def _initial(element: JsonDict) -> Any:
    kind = element["type"]
    if kind in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("value")
    if kind == "timepicker":
        return element.get("initial_time")
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "multi_users_select":
        return element.get("initial_users", [])
    if kind == "multi_static_select":
        return [option["value"] for option in element.get("initial_options") or []]
    if kind == "users_select":
        return element.get("initial_user")
    return element.get("initial_value")


def _state(element: JsonDict, value: Any) -> JsonDict:
    kind = element["type"]
    if kind in ("static_select", "radio_buttons"):
        option = next((o for o in element.get("options", []) if o["value"] == value), None)
        return {"type": kind, "selected_option": option}
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind == "multi_static_select":  # a value the options lack is sent as given, as a forged form would
        options = {option["value"]: option for option in element.get("options", [])}
        chosen = [
            options.get(v, {"text": {"type": "plain_text", "text": v}, "value": v}) for v in value or []
        ]
        return {"type": kind, "selected_options": chosen}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    return {"type": kind, "value": value}
