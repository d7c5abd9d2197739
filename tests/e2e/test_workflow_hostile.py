"""Workflow steps given what no step's builder should send: every one fails its step, kindly and quietly."""

from __future__ import annotations

import io

import pytest

from bot import ids
from tests.e2e.conftest import RunningApp
from tests.e2e.test_quiet_logs import app_log  # noqa: F401  (the app's own logging, to a buffer)
from tests.e2e.test_workflow_steps import app as app
from tests.e2e.test_workflow_steps import memberships, run_step

HOSTILE: list[tuple[str, dict[str, object]]] = [
    (ids.STEP_ADD_TO_COHORT, {}),
    (ids.STEP_ADD_TO_COHORT, {"person": 42, "cohort": ["pgy1-spring"], "role": {"learner": True}}),
    (ids.STEP_ADD_TO_COHORT, {"person": "U0SAM", "cohort": "pgy1-spring", "role": "learner" * 10_000}),
    (ids.STEP_ADD_TO_COHORT, {"person": "<!channel>", "cohort": "pgy1-spring", "role": "learner"}),
    (ids.STEP_ADD_TO_COHORT, {"person": "U0SAM", "cohort": "pgy1\u0000spring", "role": "learner"}),
    (ids.STEP_ADD_TO_COHORT, {"person": "U0SAM", "cohort": "x" * 100_000, "role": "learner"}),
    (ids.STEP_ASK_FOR_CHECKIN, {"person": None}),
    (ids.STEP_ASK_FOR_CHECKIN, {"person": "U0NOBODY"}),
    (ids.STEP_MESSAGE_FACILITATORS, {"cohort": "pgy1-spring", "text": 12}),
    (ids.STEP_MESSAGE_FACILITATORS, {"cohort": None, "text": "hello"}),
    (ids.STEP_MESSAGE_FACILITATORS, {"cohort": "pgy1-spring", "text": "\u202e" * 5000}),
]


@pytest.mark.parametrize(("step", "inputs"), HOSTILE, ids=range(len(HOSTILE)))
def test_a_malformed_step_fails_with_a_short_message_and_changes_nothing(
    app_log: io.StringIO,  # noqa: F811  (first: the app logs into it, as `circles run` sets logging up first)
    app: RunningApp,
    step: str,
    inputs: dict[str, object],
) -> None:
    done = run_step(app, step, inputs)
    assert done.method == "functions.completeError"
    message = str(done.args["error"])
    assert 0 < len(message) <= 300
    assert "Traceback" not in message
    assert memberships(app, "U0SAM") == []
    assert app.standin.calls("chat.postMessage") == []
    assert "Traceback" not in app_log.getvalue()
