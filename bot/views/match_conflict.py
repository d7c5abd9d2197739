"""The facilitator's form for two members who must never be matched, and what they are told after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.form_values import element, selected
from bot.views.forms import form_modal, pick_one
from bot.views.message import context_line
from bot.views.text import clip_mrkdwn, mrkdwn
from circles.domain.match_vocabulary import ConstraintKind

CHOOSE_A_MEMBER = "Choose someone who is in the cohort."  # after why the service refused someone
KIND_WORDS = {
    ConstraintKind.REPORTS_TO: "One reports to the other",
    ConstraintKind.ASSESSES: "One assesses or grades the other",
    ConstraintKind.NEVER: "Another reason (not recorded)",
}


@dataclass(frozen=True)
class ConflictForm:
    one: str
    other: str
    kind: ConstraintKind


def conflict_modal(
    slug: str, chosen: ConflictForm | None = None, problems: dict[str, str] | None = None
) -> View:
    """Two people and why they must not share a circle or a partnership; neither is ever told.

    Given back `chosen` with `problems` (by block: what the service refused, after the ack), the form shows
    what was chosen with each problem under its field, as Slack shows a form's own errors."""
    options = [Option(value=kind.value, text=words) for kind, words in KIND_WORDS.items()]
    kind = next((o for o in options if chosen is not None and o.value == chosen.kind.value), options[0])
    wrong = problems or {}

    def person(block_id: str, label: str, user: str | None) -> list[Block]:
        select = UserSelectElement(action_id=ids.MATCH_CONFLICT_INPUT, initial_user=user or None)
        field: list[Block] = [InputBlock(block_id=block_id, label=label, element=select)]
        if block_id in wrong:
            field.append(context_line(f":warning: {clip_mrkdwn(wrong[block_id], 2900)}"))
        return field

    return form_modal(
        ids.MATCH_CONFLICT_VIEW,
        "Record a conflict",
        "Record",
        [
            SectionBlock(
                text=f"Members of *{mrkdwn(slug)}* who must never share a circle or a partnership. "
                "Neither of them is told; only facilitators see this."
            ),
            *person(ids.MATCH_CONFLICT_ONE, "Member", chosen.one if chosen else None),
            *person(ids.MATCH_CONFLICT_OTHER, "Must not be matched with", chosen.other if chosen else None),
            pick_one(ids.MATCH_CONFLICT_KIND, ids.MATCH_CONFLICT_INPUT, "Why", options, initial=kind),
        ],
        private_metadata=slug,
    )


def read_conflict(values: Any) -> tuple[ConflictForm | None, dict[str, str]]:
    """The submitted pair and kind, or errors to show on the form; odd shapes read as not chosen."""

    def picked(block: str) -> str:
        user = element(values, block).get("selected_user")
        return user if isinstance(user, str) else ""

    one = picked(ids.MATCH_CONFLICT_ONE)
    other = picked(ids.MATCH_CONFLICT_OTHER)
    kind_value = selected(values, ids.MATCH_CONFLICT_KIND)
    errors: dict[str, str] = {}
    if not one:
        errors[ids.MATCH_CONFLICT_ONE] = "Choose a member."
    if not other:
        errors[ids.MATCH_CONFLICT_OTHER] = "Choose the other member."
    elif other == one:
        errors[ids.MATCH_CONFLICT_OTHER] = "Choose two different people."
    try:
        kind = ConstraintKind(kind_value or ConstraintKind.NEVER.value)
    except ValueError:
        errors[ids.MATCH_CONFLICT_KIND] = "Choose a reason from the list."
        kind = ConstraintKind.NEVER
    return (None if errors else ConflictForm(one, other, kind)), errors


def conflict_recorded_text(slug: str, form: ConflictForm) -> str:
    return (
        f"Recorded for *{mrkdwn(slug)}*: <@{form.one}> and <@{form.other}> will never be put in the same "
        "circle or partnership. Neither is told. Preview the next round to see it applied."
    )
