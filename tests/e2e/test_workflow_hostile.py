"""Workflow steps given what no step's builder should send: every one fails its step, kindly and quietly."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator

import pytest

from bot import ids, logs
from standin import SlackStandIn
from tests.e2e.conftest import RunningApp, start_app
from tests.e2e.test_workflow_steps import memberships, prepared, run_step

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


@pytest.fixture(scope="module", params=[logging.INFO, logging.DEBUG], ids=["default", "debug"])
def logged_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningApp, io.StringIO]]:
    """The app's own logging set-up writing to a buffer, then one app built after it (as `circles run`
    does) for every step below: each must change nothing, so none needs a world of its own."""
    root = logging.getLogger()
    level, alembic = root.level, logging.getLogger("alembic").level
    buffer = io.StringIO()
    handler = logs.configure(level=request.param, stream=buffer)
    try:
        with contextlib.ExitStack() as stack:
            standin = stack.enter_context(SlackStandIn())
            folder = tmp_path_factory.mktemp("workflow-hostile")
            yield prepared(start_app(stack, standin, folder, sending=True)), buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        logging.getLogger("alembic").setLevel(alembic)


@pytest.mark.parametrize(("step", "inputs"), HOSTILE, ids=range(len(HOSTILE)))
def test_a_malformed_step_fails_with_a_short_message_and_changes_nothing(
    logged_app: tuple[RunningApp, io.StringIO], step: str, inputs: dict[str, object]
) -> None:
    app, app_log = logged_app
    logged_before = len(app_log.getvalue())
    done = run_step(app, step, inputs)
    assert done.method == "functions.completeError"
    message = str(done.args["error"])
    assert 0 < len(message) <= 300
    assert "Traceback" not in message
    assert memberships(app, "U0SAM") == []
    assert app.standin.calls("chat.postMessage") == []
    assert "Traceback" not in app_log.getvalue()[logged_before:]
