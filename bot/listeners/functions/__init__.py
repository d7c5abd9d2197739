"""Workflow Builder steps (Slack's custom functions): each `functions:` key in manifest.yml has one here.

Bolt acknowledges `function_executed` at once; the step runs after the ack, taken in once like every
other request, and ends with `functions.completeSuccess` or `functions.completeError`.
"""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.listeners.functions import steps
from bot.listeners.incoming import ack_now, after_ack


def register(app: App, deps: Deps) -> None:
    for callback_id, work in (
        (ids.STEP_ADD_TO_COHORT, steps.add_to_cohort),
        (ids.STEP_ASK_FOR_CHECKIN, steps.ask_for_checkin),
        (ids.STEP_MESSAGE_FACILITATORS, steps.message_facilitators),
    ):
        app.function(callback_id)(ack=ack_now, lazy=[after_ack(work, deps, unfinished=steps.unfinished)])
