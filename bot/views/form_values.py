"""Read what a modal submitted: `view.state.values` is hostile input, so odd shapes read as not given."""

from __future__ import annotations

import re
from typing import Any

from bot.ids import INPUT
from circles.domain.text import clean_typed

# A person's Slack ID as a user picker sends it: U… or W… (Enterprise Grid), at most the 32 characters
# the tables keep. Anything else in a picker's list came from a client that is not Slack's.
USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


def user_ids(chosen: Any) -> list[str] | None:
    """The people a user picker sent, in order and once each; None when any entry is not a person's ID."""
    if not isinstance(chosen, list) or not all(isinstance(u, str) and USER_ID.fullmatch(u) for u in chosen):
        return None
    return list(dict.fromkeys(chosen))


def state_values(view: Any) -> Any:
    """The `state.values` of a submitted view; empty when the view or its state is not shaped as Slack's."""
    state = view.get("state") if isinstance(view, dict) else None
    return state.get("values", {}) if isinstance(state, dict) else {}


def element(values: Any, block_id: str) -> dict[str, Any]:
    """The submitted state of the block's input element; empty when the block or element is missing."""
    block = values.get(block_id) if isinstance(values, dict) else None
    found = block.get(INPUT) if isinstance(block, dict) else None
    return found if isinstance(found, dict) else {}


def selected(values: Any, block_id: str) -> str | None:
    """The value of the option chosen in a select or radio buttons."""
    option = element(values, block_id).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else None


def typed(values: Any, block_id: str) -> str | None:
    """What was written in a text input, cleaned of control characters and direction overrides."""
    value = element(values, block_id).get("value")
    return clean_typed(value) if isinstance(value, str) else None


def ticked(values: Any, block_id: str, option_value: str) -> bool:
    """Whether the checkbox with that value was ticked."""
    options = element(values, block_id).get("selected_options")
    return isinstance(options, list) and any(
        isinstance(o, dict) and o.get("value") == option_value for o in options
    )
