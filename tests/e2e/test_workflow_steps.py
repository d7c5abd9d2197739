"""Workflow Builder steps through the real HTTP app: a signed function_executed, answered in the stand-in."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.models import Cohort, Member, OutboxMessage, Profile
from standin import Call
from tests import factories
from tests.e2e.conftest import BOT_TOKEN, RunningApp
from tests.e2e.test_quiet_logs import app_log  # noqa: F401  (the app's own logging, to a buffer)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Ada coaches Lee in PGY-1 spring (pgy1-spring), run by Fay; Sam is new to the workspace."""
    return prepared(serve_app(sending=True))


def prepared(running: RunningApp) -> RunningApp:
    """The world of these tests in a freshly served app."""
    with running.db.unit_of_work() as uow:
        factories.coached_checkin(uow.session)
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        cohort.quiet_hours = ""  # no quiet hours: a check-in asked for goes at once, whatever the hour
        uow.commit()
    for user in ("U0FAY", "U0ADA", "U0LEE", "U0SAM"):
        running.standin.add_user(user)
    return running


def run_step(app: RunningApp, callback_id: str, inputs: Mapping[str, object], **ids_: str) -> Call:
    """Post the step as Slack would and wait for the app to complete or fail it."""
    app.standin.clear()
    status, _ = app.post(app.signer.function_executed(callback_id, inputs, **ids_))
    assert status == 200
    app.settled()
    [done] = app.standin.calls("functions.completeSuccess") + app.standin.calls("functions.completeError")
    return done


def memberships(app: RunningApp, user_id: str) -> list[tuple[str, str]]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id))
        return [(row.role.value, row.status.value) for row in rows]


def test_adding_a_person_to_a_cohort_completes_the_step_with_their_status(app: RunningApp) -> None:
    inputs = {"person": "U0SAM", "cohort": "pgy1-spring", "role": "learner"}
    done = run_step(app, ids.STEP_ADD_TO_COHORT, inputs, execution_id="Fx0ADD")
    assert done.method == "functions.completeSuccess"
    assert done.args["function_execution_id"] == "Fx0ADD"
    assert done.args["outputs"] == {"status": "Added to PGY-1 spring as a learner."}
    assert memberships(app, "U0SAM") == [(Role.LEARNER.value, "active")]


def test_the_same_event_twice_adds_the_person_once(app: RunningApp) -> None:
    inputs = {"person": "U0SAM", "cohort": "pgy1-spring", "role": "learner"}
    request = app.signer.function_executed(ids.STEP_ADD_TO_COHORT, inputs, event_id="Ev0SAME")
    assert app.post(request)[0] == 200
    app.settled()
    replay = app.signer.function_executed(ids.STEP_ADD_TO_COHORT, inputs, event_id="Ev0SAME")
    assert app.post(replay)[0] == 200
    app.settled()
    assert len(app.standin.calls("functions.completeSuccess")) == 1
    assert memberships(app, "U0SAM") == [(Role.LEARNER.value, "active")]


def test_an_unknown_cohort_fails_the_step_naming_the_nearest(app: RunningApp) -> None:
    inputs = {"person": "U0SAM", "cohort": "pgy1-sprng", "role": "learner"}
    done = run_step(app, ids.STEP_ADD_TO_COHORT, inputs)
    assert done.method == "functions.completeError"
    assert done.args["error"] == (
        "No cohort with that short name is open in this workspace. Did you mean pgy1-spring?"
    )
    assert memberships(app, "U0SAM") == []


def test_a_role_circles_does_not_have_fails_the_step(app: RunningApp) -> None:
    inputs = {"person": "U0SAM", "cohort": "pgy1-spring", "role": "captain"}
    done = run_step(app, ids.STEP_ADD_TO_COHORT, inputs)
    assert done.method == "functions.completeError"
    assert done.args["error"] == "Unknown role: use one of learner, coach, mentor, peer."
    assert memberships(app, "U0SAM") == []


def test_a_role_the_cohort_does_not_offer_fails_the_step(app: RunningApp) -> None:
    inputs = {"person": "U0SAM", "cohort": "pgy1-spring", "role": "mentor"}
    done = run_step(app, ids.STEP_ADD_TO_COHORT, inputs)
    assert done.args["error"] == "This cohort takes learner, coach members, not that role."
    assert memberships(app, "U0SAM") == []


def test_someone_outside_the_workspace_is_not_added(app: RunningApp) -> None:
    inputs = {"person": "U0NOBODY", "cohort": "pgy1-spring", "role": "learner"}
    done = run_step(app, ids.STEP_ADD_TO_COHORT, inputs)
    assert done.args["error"] == "That person is not an active member of this workspace."
    assert memberships(app, "U0NOBODY") == []


def test_asking_for_a_checkin_sends_it_to_the_person_and_completes(app: RunningApp) -> None:
    done = run_step(app, ids.STEP_ASK_FOR_CHECKIN, {"person": "U0LEE"})
    assert done.method == "functions.completeSuccess"
    assert done.args["outputs"] == {"checkins_sent": 1}
    [posted] = app.standin.calls("chat.postMessage")
    assert posted.args["channel"] in ("U0LEE", app.standin.workspace.im_with("T0001", "U0LEE").id)
    assert "PGY-1 spring" in str(posted.args["blocks"])


def test_asking_someone_without_a_partnership_fails_the_step(app: RunningApp) -> None:
    done = run_step(app, ids.STEP_ASK_FOR_CHECKIN, {"person": "U0SAM"})
    assert done.args["error"] == "The person has no running partnership, so there is no check-in to send."
    assert app.standin.calls("chat.postMessage") == []


def test_telling_the_facilitators_reaches_each_of_them_privately(app: RunningApp) -> None:
    inputs = {"cohort": "pgy1-spring", "text": "Orientation moved to <Tuesday> & room 4"}
    done = run_step(app, ids.STEP_MESSAGE_FACILITATORS, inputs)
    assert done.args["outputs"] == {"facilitators_told": 1}
    [posted] = app.standin.calls("chat.postMessage")
    assert "Orientation moved to &lt;Tuesday&gt; &amp; room 4" in str(posted.args["blocks"])


MOVED = {"cohort": "pgy1-spring", "text": "Orientation moved"}


def outbox(app: RunningApp) -> list[OutboxMessage]:
    with app.db.reading() as uow:
        return list(uow.session.scalars(select(OutboxMessage)))


def test_a_cohort_whose_only_facilitator_is_deactivated_fails_the_step_and_queues_nothing(
    app: RunningApp,
) -> None:
    app.standin.add_user("U0FAY", deleted=True)
    done = run_step(app, ids.STEP_MESSAGE_FACILITATORS, MOVED)
    assert done.method == "functions.completeError"
    assert done.args["error"] == "PGY-1 spring has no facilitator yet, so nobody could be told."
    assert app.standin.calls("chat.postMessage") == []
    assert outbox(app) == []


def test_a_deactivated_facilitator_is_not_counted_among_those_told(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0GUS")
        uow.commit()
    app.standin.add_user("U0GUS", deleted=True)
    done = run_step(app, ids.STEP_MESSAGE_FACILITATORS, MOVED)
    assert done.args["outputs"] == {"facilitators_told": 1}
    [posted] = app.standin.calls("chat.postMessage")
    assert posted.args["channel"] in ("U0FAY", app.standin.workspace.im_with("T0001", "U0FAY").id)


def test_a_facilitator_slack_cannot_say_anything_about_just_now_is_still_told(app: RunningApp) -> None:
    app.standin.error("users.info", "internal_error", times=None)
    done = run_step(app, ids.STEP_MESSAGE_FACILITATORS, MOVED)
    assert done.args["outputs"] == {"facilitators_told": 1}
    assert len(app.standin.calls("chat.postMessage")) == 1


def test_an_empty_message_for_the_facilitators_fails_the_step(app: RunningApp) -> None:
    done = run_step(app, ids.STEP_MESSAGE_FACILITATORS, {"cohort": "pgy1-spring", "text": "  "})
    assert done.args["error"] == "The message is empty; write what the facilitators should read."
    assert app.standin.calls("chat.postMessage") == []


def test_a_message_that_only_looks_blank_fails_the_step_and_reaches_nobody(app: RunningApp) -> None:
    blank = {"cohort": "pgy1-spring", "text": "\u3164\u2800 \u0301"}
    done = run_step(app, ids.STEP_MESSAGE_FACILITATORS, blank)
    assert done.args["error"] == "The message is empty; write what the facilitators should read."
    assert app.standin.calls("chat.postMessage") == []


def test_a_workflows_words_and_step_token_stay_out_of_the_log(
    app_log: io.StringIO,  # noqa: F811
    serve_app: Callable[..., RunningApp],
) -> None:
    running = serve_app(sending=True)  # built after the logging set-up, as `circles run` does
    with running.db.unit_of_work() as uow:
        factories.coached_checkin(uow.session)
        uow.commit()
    words = "MARKER-WORKFLOW-call-Lee-about-his-leave"
    inputs = {"cohort": "pgy1-spring", "text": words}
    assert run_step(running, ids.STEP_MESSAGE_FACILITATORS, inputs).method == "functions.completeSuccess"
    too_long = run_step(running, ids.STEP_MESSAGE_FACILITATORS, {"cohort": "pgy1-spring", "text": words * 99})
    assert too_long.method == "functions.completeError"
    logged = app_log.getvalue()
    for secret in ("MARKER-WORKFLOW", "xwfp-", BOT_TOKEN):
        assert secret not in logged


def test_a_person_a_workflow_adds_has_their_slack_time_zone_kept(app: RunningApp) -> None:
    app.standin.add_user("U0KIM", tz="America/Chicago")
    inputs = {"person": "U0KIM", "cohort": "pgy1-spring", "role": "learner"}
    done = run_step(app, ids.STEP_ADD_TO_COHORT, inputs, execution_id="Fx0ZONE")
    assert done.method == "functions.completeSuccess"
    with app.db.reading() as uow:
        kept = uow.session.scalars(select(Profile.timezone).where(Profile.slack_user_id == "U0KIM")).all()
    assert kept == ["America/Chicago"]
