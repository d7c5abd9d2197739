"""manifest.yml against Slack's published manifest schema, vendored unmodified under tests/data/slack/.

tests/data/README.md says where the files come from. The router (`manifest.schema.json`) picks the
schema by `_metadata.major_version`; each version's file is registered under the URL the router names,
so nothing is fetched. What the published schema leaves open and the app relies on (callback IDs,
event names, parameter types, the remote runtime) is asserted here in plain code.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import jsonschema
import pytest
import yaml
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from bot import ids

ROOT: Final = Path(__file__).parents[2]
SLACK: Final = ROOT / "tests/data/slack"
# The router names each version's schema by this address; the vendored copies keep the same paths.
PUBLISHED: Final = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.0.0/"
VERSIONS: Final = {1: "schemas/manifest.schema.1.0.0.json", 2: "schemas/manifest.schema.2.0.0.json"}
# The router's oneOf branch for each major version.
BRANCHES: Final = {1: 0, 2: 1}
STEPS: Final = {ids.STEP_ADD_TO_COHORT, ids.STEP_ASK_FOR_CHECKIN, ids.STEP_MESSAGE_FACILITATORS}
SLACK_EVENT_NAME: Final = re.compile(r"[a-z_]+(\.[a-z_]+)?")


def published(relative: str) -> dict[str, Any]:
    loaded = json.loads((SLACK / relative).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


ROUTER: Final = published("manifest.schema.json")
REGISTRY: Final = Registry().with_resources(
    (PUBLISHED + path, Resource.from_contents(published(path))) for path in VERSIONS.values()
)
VALIDATOR: Final = jsonschema.Draft7Validator(ROUTER, registry=REGISTRY)
# Slack's parameter types, as the published v1 file lists them for its (array-form) feature functions.
PARAMETER_TYPES: Final = frozenset(
    published(VERSIONS[1])["definitions"]["slack-functions.parameter"]["properties"]["type"]["enum"]
)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """The innermost errors under each error (the router's oneOf keeps its branches' errors as context)."""
    for error in errors:
        if error.context:
            yield from leaves(error.context)
        else:
            yield error


def problems(document: dict[str, Any], major_version: int = 1) -> list[str]:
    """Why the router refuses ``document``, read in the branch of the schema version it declares."""
    errors = list(VALIDATOR.iter_errors(document))
    if not errors:
        return []
    in_branch = [
        e
        for e in leaves(errors)
        if e.absolute_schema_path and list(e.absolute_schema_path)[:2] == ["oneOf", BRANCHES[major_version]]
    ]
    assert in_branch, [e.message for e in errors]
    return sorted({f"{'.'.join(map(str, e.absolute_path))}: {e.validator}" for e in in_branch})


def parameters(manifest: dict[str, Any], step: str, side: str) -> dict[str, dict[str, Any]]:
    found = manifest["functions"][step][side]
    assert isinstance(found, dict)
    return found


def without_is_required(parameter: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parameter.items() if k != "is_required"}


def in_version_2_form(manifest: dict[str, Any]) -> dict[str, Any]:
    """The same manifest with each step's parameters as `{properties, required}`."""
    converted = copy.deepcopy(manifest)
    for function in converted["functions"].values():
        for side in ("input_parameters", "output_parameters"):
            flat = function[side]
            function[side] = {
                "properties": {key: without_is_required(p) for key, p in flat.items()},
                "required": [key for key, p in flat.items() if p.get("is_required")],
            }
    return converted


# --- the published schema ----------------------------------------------------------------------


@pytest.mark.parametrize("relative", ["manifest.schema.json", *VERSIONS.values()])
def test_the_vendored_files_are_valid_draft_7_schemas(relative: str) -> None:
    jsonschema.Draft7Validator.check_schema(published(relative))


def test_manifest_meets_the_published_schema_through_the_router(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"]["major_version"] == 1
    assert problems(manifest) == []
    assert VALIDATOR.is_valid(manifest)


def test_a_parameter_without_a_type_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    del broken["functions"]["add_to_cohort"]["input_parameters"]["person"]["type"]
    assert problems(broken) == ["functions.add_to_cohort.input_parameters.person: required"]


def test_an_unknown_top_level_key_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["socket_mode"] = True
    assert problems(broken) == [": additionalProperties"]


def test_an_unknown_key_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["settings"]["socket_mode"] = True
    assert problems(broken) == ["settings: additionalProperties"]


def test_a_display_name_of_36_characters_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["display_information"]["name"] = "C" * 36
    assert problems(broken) == ["display_information.name: maxLength"]


def test_a_step_without_outputs_is_refused(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    del broken["functions"]["ask_for_checkin"]["output_parameters"]
    assert problems(broken) == ["functions.ask_for_checkin: required"]


def test_major_version_2_refuses_the_flat_parameters(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["_metadata"]["major_version"] = 2
    found = problems(broken, major_version=2)
    assert "functions.add_to_cohort.input_parameters: required" in found
    assert "functions.ask_for_checkin.output_parameters: required" in found


def test_major_version_1_refuses_the_version_2_parameters(manifest: dict[str, Any]) -> None:
    assert "functions.add_to_cohort.input_parameters.required: type" in problems(in_version_2_form(manifest))


def test_the_router_reads_the_version_2_form_under_major_version_2(manifest: dict[str, Any]) -> None:
    converted = in_version_2_form(manifest)
    converted["_metadata"]["major_version"] = 2
    assert problems(converted, major_version=2) == []


# --- what the app relies on beyond the published schema ----------------------------------------


def test_every_step_the_app_registers_is_declared_with_remote_runtime(manifest: dict[str, Any]) -> None:
    assert set(manifest["functions"]) == STEPS
    assert manifest["settings"]["function_runtime"] == "remote"
    assert "function_executed" in manifest["settings"]["event_subscriptions"]["bot_events"]


def test_event_names_look_like_slacks(manifest: dict[str, Any]) -> None:
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert [event for event in events if not SLACK_EVENT_NAME.fullmatch(event)] == []
    assert not SLACK_EVENT_NAME.fullmatch("Function Executed")


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_requires_exactly_the_parameters_it_declares(manifest: dict[str, Any], step: str) -> None:
    for side in ("input_parameters", "output_parameters"):
        declared = parameters(manifest, step, side)
        assert declared, (step, side)
        for key, parameter in declared.items():
            assert parameter["name"] == key, (step, side)
            assert parameter["is_required"] is True, (step, side)
            assert parameter["type"] in PARAMETER_TYPES, (step, side, key)
            assert parameter["title"], (step, side)
            assert parameter["description"], (step, side)


def test_the_steps_keep_their_parameter_names_and_types(manifest: dict[str, Any]) -> None:
    def shape(step: str, side: str) -> dict[str, str]:
        return {key: p["type"] for key, p in parameters(manifest, step, side).items()}

    user_id = "slack#/types/user_id"
    assert shape(ids.STEP_ADD_TO_COHORT, "input_parameters") == {
        "person": user_id,
        "cohort": "string",
        "role": "string",
    }
    assert shape(ids.STEP_ADD_TO_COHORT, "output_parameters") == {"status": "string"}
    assert shape(ids.STEP_ASK_FOR_CHECKIN, "input_parameters") == {"person": user_id}
    assert shape(ids.STEP_ASK_FOR_CHECKIN, "output_parameters") == {"checkins_sent": "integer"}
    assert shape(ids.STEP_MESSAGE_FACILITATORS, "input_parameters") == {"cohort": "string", "text": "string"}
    assert shape(ids.STEP_MESSAGE_FACILITATORS, "output_parameters") == {"facilitators_told": "integer"}


def test_people_are_passed_as_slack_user_ids(manifest: dict[str, Any]) -> None:
    for step in (ids.STEP_ADD_TO_COHORT, ids.STEP_ASK_FOR_CHECKIN):
        person = parameters(manifest, step, "input_parameters")["person"]
        assert person["type"] == "slack#/types/user_id"
