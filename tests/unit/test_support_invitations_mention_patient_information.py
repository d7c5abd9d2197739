"""Every place that invites typing `/circles support <message>` says it is not the place for patient
information, in the words every free-text box uses."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.listeners.commands import SUBCOMMANDS
from bot.views.direct_answer import unrecorded_answer_message
from bot.views.errors import friendly_message
from bot.views.help import help_message
from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.errors import SupportWhichCohort
from tests.slack_extremes import user_ids
from tests.slack_limits import assert_within_limits

MANIFEST = Path(__file__).parents[2] / "manifest.yml"
HINT = json.dumps(DEFAULT_FREE_TEXT_HINT)[1:-1]  # as it reads inside JSON


def test_the_help_line_for_support_says_it() -> None:
    shown = json.dumps(help_message(SUBCOMMANDS, runs_cohorts=False).block_dicts())
    [line] = [line for line in shown.split("\\n") if "/circles support [&lt;message&gt;]" in line]
    assert HINT in line


def test_the_answer_from_memory_while_the_database_is_down_says_it() -> None:
    message = unrecorded_answer_message()
    shown = json.dumps(message.block_dicts())
    assert "type `/circles support` followed by your message" in shown
    assert HINT in shown
    assert "the people who run Circles in this workspace" in shown  # who reads it when no facilitator may
    assert_within_limits(message)


def test_asking_which_cohort_says_it() -> None:
    answer = friendly_message(SupportWhichCohort(["faculty", "pgy1"]))
    assert "`/circles support pgy1 &lt;message&gt;`" in answer
    assert answer.endswith(DEFAULT_FREE_TEXT_HINT)
    assert_within_limits({"text": friendly_message(SupportWhichCohort(user_ids(50))), "blocks": []})


def test_the_slash_commands_description_says_it_beside_its_usage_hint() -> None:
    [command] = yaml.safe_load(MANIFEST.read_text())["features"]["slash_commands"]
    assert "support [message]" in command["usage_hint"]
    assert DEFAULT_FREE_TEXT_HINT in command["description"]


def test_every_workflow_steps_text_input_says_it_where_a_workflows_builder_fills_it_in() -> None:
    steps = yaml.safe_load(MANIFEST.read_text())["functions"]
    worded = {
        (step, name): parameter["description"]
        for step, declared in steps.items()
        for name, parameter in declared["input_parameters"].items()
        if parameter["type"] == "string" and name not in ("cohort", "role")  # a name, not words
    }
    assert worded  # the message step's text
    assert all(DEFAULT_FREE_TEXT_HINT in said for said in worded.values()), worded
