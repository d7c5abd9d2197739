"""Each run of a Workflow Builder step ends in exactly one completion, whatever Slack or the database does."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot import ids
from standin import Call
from tests.databases import migrated_postgres
from tests.dropping import dropped_at
from tests.e2e.conftest import RunningApp
from tests.e2e.test_workflow_steps import app as app
from tests.e2e.test_workflow_steps import memberships, prepared, run_step

ADD_SAM = {"person": "U0SAM", "cohort": "pgy1-spring", "role": "learner"}


def completions(app: RunningApp) -> list[Call]:
    return app.standin.calls("functions.completeSuccess") + app.standin.calls("functions.completeError")


def test_a_step_sent_again_in_a_new_event_is_done_and_completed_once(app: RunningApp) -> None:
    for event in ("Ev0FIRST", "Ev0AGAIN"):
        request = app.signer.function_executed(
            ids.STEP_ASK_FOR_CHECKIN, {"person": "U0LEE"}, execution_id="Fx0ONCE", event_id=event
        )
        assert app.post(request)[0] == 200
        app.settled()
    [done] = completions(app)
    assert done.args["outputs"] == {"checkins_sent": 1}
    assert len(app.standin.calls("chat.postMessage")) == 1


def test_adding_someone_sent_again_in_a_new_event_completes_once(app: RunningApp) -> None:
    for event in ("Ev0FIRST", "Ev0AGAIN"):
        request = app.signer.function_executed(
            ids.STEP_ADD_TO_COHORT, ADD_SAM, execution_id="Fx0ONCE", event_id=event
        )
        assert app.post(request)[0] == 200
        app.settled()
    [done] = completions(app)
    assert done.args["outputs"] == {"status": "Added to PGY-1 spring as a learner."}


def test_the_step_is_completed_with_the_token_of_its_run(app: RunningApp) -> None:
    done = run_step(app, ids.STEP_ADD_TO_COHORT, ADD_SAM)
    assert str(done.token).startswith("xwfp-")


def test_a_completion_slack_rate_limits_for_a_while_still_reaches_slack_once(app: RunningApp) -> None:
    app.standin.fail("functions.completeSuccess", status=429, retry_after=0, times=4)
    app.standin.clear()
    assert app.post(app.signer.function_executed(ids.STEP_ADD_TO_COHORT, ADD_SAM))[0] == 200
    app.settled()
    taken = [call for call in completions(app) if call.status == 200]
    assert [call.method for call in taken] == ["functions.completeSuccess"]
    assert memberships(app, "U0SAM") == [("learner", "active")]


def test_outputs_slack_refuses_for_good_fail_the_step_instead_of_leaving_it_running(app: RunningApp) -> None:
    app.standin.error("functions.completeSuccess", "parameter_validation_failed")
    app.standin.clear()
    assert app.post(app.signer.function_executed(ids.STEP_ADD_TO_COHORT, ADD_SAM))[0] == 200
    app.settled()
    [failed] = app.standin.calls("functions.completeError")
    assert "could not report" in failed.args["error"]


@pytest.fixture
def app_on_postgres(serve_app: Callable[..., RunningApp]) -> Iterator[RunningApp]:
    with migrated_postgres() as url:
        yield prepared(serve_app(url, sending=True))


@pytest.mark.postgres
@pytest.mark.parametrize("statement", ["INSERT INTO seen_requests", "INSERT INTO members"])
def test_a_step_whose_database_is_unreachable_fails_saying_to_try_again(
    app_on_postgres: RunningApp, statement: str
) -> None:
    with dropped_at(app_on_postgres.db.engine, statement) as dropped:
        app_on_postgres.standin.clear()
        request = app_on_postgres.signer.function_executed(ids.STEP_ADD_TO_COHORT, ADD_SAM)
        assert app_on_postgres.post(request)[0] == 200
        app_on_postgres.settled()
    assert dropped
    [done] = completions(app_on_postgres)
    assert done.method == "functions.completeError"
    assert "try" in done.args["error"]
    assert memberships(app_on_postgres, "U0SAM") == []


@pytest.mark.postgres
def test_a_step_done_is_not_failed_when_forgetting_old_requests_fails_afterwards(
    app_on_postgres: RunningApp,
) -> None:
    app = app_on_postgres
    app.standin.fail("functions.completeSuccess", status=429, retry_after=1, times=4)
    app.standin.clear()
    inputs = {"cohort": "pgy1-spring", "text": "Orientation moved"}
    with dropped_at(app.db.engine, "DELETE FROM seen_requests") as dropped:
        request = app.signer.function_executed(ids.STEP_MESSAGE_FACILITATORS, inputs, execution_id="Fx0DONE")
        assert app.post(request)[0] == 200
        app.settled()
    assert dropped
    assert app.standin.calls("functions.completeError") == []  # before: "try the workflow again later"
    [done] = [call for call in completions(app) if call.status == 200]
    assert done.args["outputs"] == {"facilitators_told": 1}
    assert len(app.standin.calls("chat.postMessage")) == 1


def runs_then_help(app: RunningApp, runs: str) -> None:
    """Six runs of a step, more than the threads that serve Slack's requests, each tried once; then someone's
    `/circles help`."""
    app.standin.clear()
    for run in range(6):
        request = app.signer.function_executed(
            ids.STEP_ASK_FOR_CHECKIN, {"person": "U0LEE"}, execution_id=f"{runs}{run}"
        )
        assert app.post(request)[0] == 200
    app.standin.wait_for("functions.completeSuccess", count=6)
    app.post(app.signer.slash_command("help", user_id="U0ADA"))


def test_people_are_answered_at_once_while_slack_is_failing_to_take_many_steps_completions(
    app: RunningApp,
) -> None:
    app.standin.fail("functions.completeSuccess", status=503, times=None)
    runs_then_help(app, "Fx0RUN")
    # Well before the completions are given up on (a minute), even on a loaded machine.
    app.standin.wait_for("response_url", timeout=15)

    app.standin.clear_faults()
    app.settled()
    taken = {call.args["function_execution_id"] for call in completions(app) if call.status == 200}
    assert taken == {f"Fx0RUN{run}" for run in range(6)}


@pytest.mark.early  # waits out Retry-After on the completions' threads
def test_people_are_answered_at_once_while_slack_rate_limits_steps_completions(app: RunningApp) -> None:
    """A 429's Retry-After is waited out on the completions' own threads, not asleep in the first try on a
    thread that answers people's commands."""
    app.standin.fail("functions.completeSuccess", status=429, retry_after=8, times=6)
    runs_then_help(app, "Fx0WAIT")
    app.standin.wait_for("response_url", timeout=5)  # before any run's Retry-After is over

    app.standin.wait_for("functions.completeSuccess", count=12, timeout=40)
    taken = {call.args["function_execution_id"] for call in completions(app) if call.status == 200}
    assert taken == {f"Fx0WAIT{run}" for run in range(6)}
