"""manifest.yml against the JSON Schema transcribed from Slack's published manifest schema.

tests/data/README.md says where each constraint comes from and where it is stricter than Slack's.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Final

import jsonschema
import pytest
import yaml

from bot import ids

ROOT: Final = Path(__file__).parents[2]
SCHEMA: Final = json.loads((ROOT / "tests/data/slack_manifest.schema.json").read_text(encoding="utf-8"))
STEPS: Final = {ids.STEP_ADD_TO_COHORT, ids.STEP_ASK_FOR_CHECKIN, ids.STEP_MESSAGE_FACILITATORS}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def problems(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return sorted(
        f"{'.'.join(map(str, e.absolute_path))}: {e.validator}" for e in validator.iter_errors(document)
    )


def test_the_schema_is_a_valid_draft_7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_manifest_meets_the_schema(manifest: dict[str, Any]) -> None:
    assert problems(manifest) == []


def test_an_unknown_key_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["settings"]["socket_mode"] = True
    assert problems(broken) == ["settings: additionalProperties"]


def test_a_bad_event_name_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["settings"]["event_subscriptions"]["bot_events"].append("Function Executed")
    assert problems(broken) == ["settings.event_subscriptions.bot_events.6: pattern"]


def test_a_parameter_type_slack_does_not_have_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["functions"]["add_to_cohort"]["input_parameters"]["properties"]["person"]["type"] = "user"
    assert problems(broken) == ["functions.add_to_cohort.input_parameters.properties.person.type: enum"]


def test_a_step_without_outputs_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    del broken["functions"]["ask_for_checkin"]["output_parameters"]
    assert problems(broken) == ["functions.ask_for_checkin: required"]


def test_every_step_the_app_registers_is_declared_with_remote_runtime(manifest: dict[str, Any]) -> None:
    assert set(manifest["functions"]) == STEPS
    assert manifest["settings"]["function_runtime"] == "remote"
    assert "function_executed" in manifest["settings"]["event_subscriptions"]["bot_events"]


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_requires_exactly_the_parameters_it_declares(manifest: dict[str, Any], step: str) -> None:
    for side in ("input_parameters", "output_parameters"):
        parameters = manifest["functions"][step][side]
        assert set(parameters["required"]) == set(parameters["properties"]), (step, side)
        for parameter in parameters["properties"].values():
            assert parameter["title"], (step, side)
            assert parameter["description"], (step, side)


def test_people_are_passed_as_slack_user_ids(manifest: dict[str, Any]) -> None:
    for step in (ids.STEP_ADD_TO_COHORT, ids.STEP_ASK_FOR_CHECKIN):
        person = manifest["functions"][step]["input_parameters"]["properties"]["person"]
        assert person["type"] == "slack#/types/user_id"
