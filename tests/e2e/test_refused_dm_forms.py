"""Forms and Home buttons whose answer goes to the person's DM, when Slack refuses that DM: what was asked is
still done, and the log holds one quiet warning and no words."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.digests import working_days
from circles.domain.vocabulary import Role
from circles.persistence.models import AwayBlock, Member, Profile
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_away import app as away_app  # noqa: F401  (a fixture: a coach and a learner)
from tests.e2e.test_away import open_form
from tests.e2e.test_checkins import form_values, seed, stored
from tests.e2e.test_escalations import app as escalation_app  # noqa: F401  (a fixture: an open alert)
from tests.e2e.test_refused_dms import assert_quiet, log, refused_while  # noqa: F401  (a fixture: the warnings)

NOTE = "MARKER-NOTE-meetings-keep-failing"


def test_a_checkin_form_is_stored_when_its_confirmation_cannot_reach_the_member(
    running: RunningApp,
    log: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    checkin_id = seed(running)
    running.post(running.signer.slash_command("checkin", user_id="U0LEE", trigger_id="1.2.checkin"))
    [opened] = running.standin.wait_for("views.open")
    values = form_values("4", "yes", NOTE, share=False, support=False)
    submit = running.signer.view_submission(
        ids.CHECKIN_VIEW,
        user_id="U0LEE",
        values=values,
        private_metadata=opened.args["view"]["private_metadata"],
    )
    refused_while(running, "U0LEE", "user_not_found", submit)
    assert stored(running, checkin_id).rating == 4
    assert_quiet(log, "user_not_found", NOTE, "U0LEE")


def test_an_out_of_date_resolve_form_is_answered_quietly_when_the_facilitators_dm_is_refused(
    escalation_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    app = escalation_app
    values = {ids.ESCALATION_OUTCOME: {ids.INPUT: {"type": "static_select", "selected_option": None}}}
    submit = app.signer.view_submission(
        ids.ESCALATION_RESOLVE_VIEW, user_id="U0FAC1", values=values, private_metadata="gone"
    )
    refused_while(app, "U0FAC1", "is_archived", submit)
    assert_quiet(log, "is_archived", "U0FAC1")


def test_away_from_the_home_form_is_kept_when_its_confirmation_cannot_reach_the_member(
    away_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    app = away_app
    form = open_form(app, ids.HOME_AWAY_OPEN, "U0LEARN")
    values = submitted_values(form, {ids.AWAY_WEEKS: "3"})
    submit = app.signer.view_submission(ids.AWAY_VIEW, user_id="U0LEARN", values=values)
    refused_while(app, "U0LEARN", "not_in_channel", submit)
    with app.db.unit_of_work() as uow:
        assert [b.slack_user_id for b in uow.session.scalars(select(AwayBlock))] == ["U0LEARN"]
    assert_quiet(log, "not_in_channel", "U0LEARN")


def test_digest_days_are_kept_when_their_confirmation_cannot_reach_the_coach(
    away_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    app = away_app
    values = {
        ids.DIGEST_DAYS_BLOCK: {
            ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": "0"}, {"value": "3"}]}
        }
    }
    submit = app.signer.view_submission(ids.DIGEST_DAYS_VIEW, user_id="U0COACH", values=values)
    refused_while(app, "U0COACH", "user_disabled", submit)
    with app.db.unit_of_work() as uow:
        coach = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0COACH")).one()
        assert working_days(coach.working_days) == frozenset({0, 3})
    assert_quiet(log, "user_disabled", "U0COACH")


def test_joining_from_a_view_is_kept_when_neither_welcome_nor_answer_can_reach_the_person(
    away_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    app = away_app
    app.standin.add_user("U0NEW")
    press = app.signer.block_action(
        f"{ids.JOIN_AS_ROLE}:learner", user_id="U0NEW", value="pgy1:learner", view={"type": "modal"}
    )
    refused_while(app, "U0NEW", "user_disabled", press)
    with app.db.unit_of_work() as uow:
        joined = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0NEW")).one()
        assert joined.role is Role.LEARNER
    assert_quiet(log, "user_disabled", "U0NEW")
    assert json.dumps([c.args for c in app.standin.calls("chat.postMessage")]).count("U0NEW") >= 2


def test_back_pressed_on_home_is_kept_when_its_confirmation_cannot_reach_the_member(
    away_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    app = away_app
    assert app.post(app.signer.slash_command("away 2w", user_id="U0LEARN"))[0] == 200
    app.settled()
    press = app.signer.block_action(ids.HOME_BACK, user_id="U0LEARN", value="x", view={"type": "home"})
    refused_while(app, "U0LEARN", "user_disabled", press)
    with app.db.unit_of_work() as uow:
        [block] = uow.session.scalars(select(AwayBlock))
        assert block.ends_at <= block.created_at + timedelta(minutes=5)  # ended now, not in two weeks
    assert_quiet(log, "user_disabled", "U0LEARN")
