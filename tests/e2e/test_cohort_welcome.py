"""Someone a workflow's "Add to a cohort" step adds hears privately, once, what the cohort is, who runs it,
who sees what and how to leave: through the real HTTP app, its sender and the Slack stand-in."""

from __future__ import annotations

import json

from bot import ids
from standin import Call
from tests.e2e.conftest import RunningApp
from tests.e2e.test_workflow_steps import app as app
from tests.e2e.test_workflow_steps import run_step

ADD_SAM = {"person": "U0SAM", "cohort": "pgy1-spring", "role": "learner"}


def dms_to(app: RunningApp, user: str) -> list[Call]:
    dm = app.standin.workspace.im_with("T0001", user)
    return [c for c in app.standin.calls("chat.postMessage") if c.args["channel"] in (user, dm.id)]


def test_someone_a_workflow_adds_is_welcomed_privately_once(app: RunningApp) -> None:
    done = run_step(app, ids.STEP_ADD_TO_COHORT, ADD_SAM, execution_id="Fx0ADD")
    assert done.method == "functions.completeSuccess"
    [welcome] = dms_to(app, "U0SAM")
    words = json.dumps(welcome.args, ensure_ascii=False)
    assert "Welcome to PGY-1 spring" in words
    assert "<@U0FAY>" in words  # the cohort's facilitator, by mention
    assert "paired with a coach" in words
    assert "only if you choose to share it" in words
    assert "/circles consent" in words
    assert "/circles support" in words
    assert "/circles leave pgy1-spring" in words
    assert "U0ADA" not in words  # nobody else of the cohort
    assert "U0LEE" not in words

    again = run_step(app, ids.STEP_ADD_TO_COHORT, ADD_SAM, execution_id="Fx0AGAIN")  # a new run
    assert again.args["outputs"] == {"status": "Already in PGY-1 spring as a learner; nothing changed."}
    assert dms_to(app, "U0SAM") == []


def test_a_workflow_adding_someone_already_in_the_cohort_sends_them_nothing(app: RunningApp) -> None:
    done = run_step(app, ids.STEP_ADD_TO_COHORT, {**ADD_SAM, "person": "U0LEE"})
    assert done.args["outputs"] == {"status": "Already in PGY-1 spring as a learner; nothing changed."}
    assert app.standin.calls("chat.postMessage") == []
