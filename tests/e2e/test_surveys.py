"""Surveys over the real HTTP app and `circles tick --now`: the member's DM with its button, the form it
opens, answers stored once, exactly one reminder for whoever has not answered, and response rates (never
answers) on the facilitator's health board."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import SurveyAnswer, SurveyRequest
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_tick import tick

TODAY = datetime.now(UTC).date()
MEMBERS = ("U0NIA", "U0OLA")


def on(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def seed(app: RunningApp) -> None:
    """Nia and Ola in a cohort that starts today at 09:00 UTC, run by Fay, asked `belonging` at the start."""
    for user in ("U0FAY", *MEMBERS):
        app.standin.add_user(user, tz="UTC")
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.timezone, co.prompt_local_time, co.starts_on, co.ends_on = (
            "UTC",
            time(9),
            TODAY,
            TODAY + timedelta(60),
        )
        co.survey_plan = {"baseline": ["belonging"]}
        factories.facilitator(uow.session, co, "U0FAY")
        for user in MEMBERS:
            factories.member(uow.session, co, user, Role.PEER).joined_at = datetime.combine(
                TODAY - timedelta(1), time(9), tzinfo=UTC
            )
            factories.profile(uow.session, ws, user, "UTC")
        uow.commit()


def surveys_to(app: RunningApp, user: str) -> list[Call]:
    calls = app.standin.calls("chat.postMessage")
    return [c for c in calls if c.args["channel"] == user and ids.SURVEY_OPEN in json.dumps(c.args)]


def answers(app: RunningApp) -> list[SurveyAnswer]:
    with app.db.reading() as uow:
        return list(uow.session.scalars(select(SurveyAnswer)))


def submit(app: RunningApp, metadata: str, values: dict[str, Any]) -> None:
    request = app.signer.view_submission(
        ids.SURVEY_VIEW, user_id="U0NIA", values=values, private_metadata=metadata
    )
    assert app.post(request) == (200, b"")


def answer_pressed(app: RunningApp, invite: Call, user: str, trigger_id: str) -> dict[str, Any]:
    """`user` presses Answer on the survey invite in their DM; the form Slack was asked to open."""
    press_answer(app, invite, user, trigger_id)
    [opened] = app.standin.wait_for("views.open")
    view: dict[str, Any] = opened.args["view"]
    return view


def press_answer(app: RunningApp, invite: Call, user: str, trigger_id: str) -> None:
    """`user` presses Answer on the survey invite in their DM."""
    channel = invite.response["channel"]  # the app's DM with them
    [dm] = [m for m in app.standin.messages(channel) if ids.SURVEY_OPEN in json.dumps(m)]
    button = next(e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"])
    click = app.signer.block_action(
        ids.SURVEY_OPEN,
        user_id=user,
        value=button["value"],
        channel_id=channel,
        message=dm,
        trigger_id=trigger_id,
    )
    assert app.post(click)[0] == 200


def test_a_member_answers_once_the_other_is_reminded_once_and_the_board_shows_the_rate(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)
    tick(app, on(TODAY, 9, 5))
    [invite] = surveys_to(app, "U0NIA")
    assert len(surveys_to(app, "U0OLA")) == 1
    shown = json.dumps(invite.args, ensure_ascii=False)
    assert "Belonging" in shown
    assert "4 questions" in shown
    assert "never yours" in shown

    channel = invite.response["channel"]  # the app's DM with Nia
    app.standin.clear()
    view = answer_pressed(app, invite, "U0NIA", trigger_id="1.2.survey")
    assert view["callback_id"] == ids.SURVEY_VIEW
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert len(inputs) == 4

    values = {
        block: {ids.INPUT: {"type": "radio_buttons", "selected_option": {"value": str(n + 2)}}}
        for n, block in enumerate(inputs)
    }
    submit(app, view["private_metadata"], values)
    app.standin.wait_for("chat.update")
    assert sorted(a.value or 0 for a in answers(app)) == [2, 3, 4, 5]
    [now_shown] = [m for m in app.standin.messages(channel) if "Belonging" in json.dumps(m)]
    assert "answered, thank you" in json.dumps(now_shown)
    assert all(b["type"] != "actions" for b in now_shown["blocks"])

    app.standin.clear()
    submit(app, view["private_metadata"], values)  # a second submit, from a form left open
    [refused] = app.standin.wait_for("chat.postMessage")
    assert "already answered this survey" in json.dumps(refused.args)
    app.settled()
    assert len(answers(app)) == 4

    tick(app, on(TODAY + timedelta(3), 9, 5))
    tick(app, on(TODAY + timedelta(4), 9, 5))
    tick(app, on(TODAY + timedelta(5), 9, 5))
    reminders = [c for c in surveys_to(app, "U0OLA") if "reminder" in c.args["text"].lower()]
    assert len(reminders) == 1
    assert surveys_to(app, "U0NIA") == []  # answered: no reminder

    app.standin.clear()
    status, body = app.post(app.signer.slash_command("health pgy1", user_id="U0FAY"))
    assert (status, body) == (200, b"")
    [board] = app.standin.wait_for("response_url", timeout=10)
    text = json.dumps(board.args, ensure_ascii=False)
    assert "Belonging: 1 of 2 answered (50%)" in text
    assert "fit_in" not in text
    with app.db.reading() as uow:
        assert len(uow.session.scalars(select(SurveyRequest)).all()) == 2


def test_a_member_who_paused_is_told_their_survey_waits_for_them_and_it_keeps_its_button(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)
    tick(app, on(TODAY, 9, 5))
    [invite] = surveys_to(app, "U0NIA")
    assert app.post(app.signer.slash_command("pause", user_id="U0NIA")) == (200, b"")
    app.standin.wait_for("response_url")
    app.settled()

    app.standin.clear()
    press_answer(app, invite, "U0NIA", trigger_id="1.2.paused")
    [told] = app.standin.wait_for("response_url")
    assert "resume" in json.dumps(told.args)
    assert "closed" not in json.dumps(told.args)
    app.settled()
    assert app.standin.calls("chat.update") == []  # the survey in the DM still has its Answer button
    assert app.standin.calls("views.open") == []

    assert app.post(app.signer.slash_command("resume", user_id="U0NIA")) == (200, b"")
    app.standin.wait_for("response_url")
    app.settled()
    app.standin.clear()
    view = answer_pressed(app, invite, "U0NIA", trigger_id="1.3.back")
    assert view["callback_id"] == ids.SURVEY_VIEW
