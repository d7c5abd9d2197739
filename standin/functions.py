"""Workflow Builder custom steps: the function_executed event Slack sends, and how a step is completed."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from .api_common import ApiRequest, Handler, SlackError, missing
from .state import JsonDict


def function_executed_event(
    callback_id: str, inputs: Mapping[str, Any], *, execution_id: str | None = None, app_id: str
) -> JsonDict:
    """The event inside the envelope when a workflow reaches one of the app's steps."""
    return {
        "type": "function_executed",
        "function": {
            "id": f"Fn{secrets.token_hex(5).upper()}",
            "callback_id": callback_id,
            "title": callback_id.replace("_", " ").capitalize(),
            "description": "",
            "type": "app",
            "app_id": app_id,
            "date_created": 1700000000,
            "date_updated": 1700000000,
        },
        "inputs": dict(inputs),
        "function_execution_id": execution_id or f"Fx{secrets.token_hex(6).upper()}",
        "workflow_execution_id": f"Wx{secrets.token_hex(6).upper()}",
        # A token for this run only; Bolt calls the Web API with it while the step runs.
        "bot_access_token": f"xwfp-{secrets.token_hex(12)}",
    }


def _execution_id(req: ApiRequest) -> str:
    found = req.args.get("function_execution_id")
    if not isinstance(found, str) or not found:
        raise missing("function_execution_id")
    return found


def complete_success(req: ApiRequest) -> JsonDict:
    """functions.completeSuccess: the step is done; its outputs pass to the workflow's next step."""
    _execution_id(req)
    outputs = req.args.get("outputs")
    if isinstance(outputs, str):  # form-encoded calls send it as JSON text
        try:
            outputs = json.loads(outputs)
        except ValueError as error:
            raise SlackError("invalid_arguments") from error
    if not isinstance(outputs, dict):
        raise missing("outputs")
    return {}


def complete_error(req: ApiRequest) -> JsonDict:
    """functions.completeError: the step failed; the workflow stops and shows the error."""
    _execution_id(req)
    error = req.args.get("error")
    if not isinstance(error, str) or not error:
        raise missing("error")
    return {}


HANDLERS: dict[str, Handler] = {
    "functions.completeSuccess": complete_success,
    "functions.completeError": complete_error,
}
