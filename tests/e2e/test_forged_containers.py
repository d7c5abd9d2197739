"""A button's container and a form's private_metadata are the presser's word: forged to name a circle's
prompt in its channel, they leave that prompt as it was, and nothing of a pair, a rating or a note lands
there. Pressed honestly, the message the app sent for it is still redrawn in place."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot import ids
from bot.messages import render
from bot.views.checkin_form import FormOrigin
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import CheckIn, OutboxMessage, SurveyAnswer
from standin.defaults import dm_channel_id
from tests import escalation_world as w
from tests import factories
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, RunningApp
from tests.e2e.test_checkins import form_values
from tests.e2e.test_escalations import MEMBERS, alert, answers_to, escalate, escalation_id, updates
from tests.e2e.test_surveys import TODAY, on, seed, surveys_to
from tests.e2e.test_tick import tick
from tests.escalation_world import FACILITATORS

CIRCLE = "C0CIRCLE01"  # a circle's private channel: its members can copy a link to any message in it
Where = tuple[str, str]


def client(app: RunningApp) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=app.standin.api_url)


def circle_prompt(app: RunningApp) -> dict[str, Any]:
    """The week's prompt, posted by the app in the circle's channel: the message a forger points at."""
    args = {
        "prompt_id": "week-2",
        "theme": "Belonging",
        "text": "What helped you feel part of the team this week?",
        "follow_up": None,
        "cohort_name": "PGY-1",
        "week": 2,
    }
    message = render("circle_prompt", args)
    client(app).chat_postMessage(channel=CIRCLE, text=message.text, blocks=message.block_dicts())
    [posted] = app.standin.messages(CIRCLE)
    return posted


def untouched(app: RunningApp, prompt: dict[str, Any]) -> None:
    """The circle's channel holds its prompt exactly as it was, and the app never tried to change it."""
    app.settled()
    assert app.standin.messages(CIRCLE) == [prompt]
    assert [c for c in app.standin.calls("chat.update") if c.args["channel"] == CIRCLE] == []


def pressed_in(
    app: RunningApp, action: str, user: str, value: str, where: Where, shown: dict[str, Any]
) -> None:
    """`user` presses a button that says it sits in the message at `where`."""
    request = app.signer.block_action(
        action,
        user_id=user,
        value=value,
        channel_id=where[0],
        message={**shown, "ts": where[1]},
        response_url=app.standin.response_url(user),
        trigger_id=f"1.2.{action}",
    )
    assert app.post(request)[0] == 200


def only_the_outbox_vouches(app: RunningApp) -> None:
    """Slack will not show the app its messages back (no history scope): the outbox's record alone says
    where a message went."""
    app.standin.error("conversations.history", "missing_scope", times=None)


# -- an escalation's buttons, for facilitators ---------------------------------------------------------


@pytest.fixture
def alerted(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Each facilitator's DM holds the alert about a struggling pair, sent through the outbox."""
    running = serve_app()
    with running.db.unit_of_work() as uow:
        world = w.build(uow.session)
        for checkin in uow.session.scalars(select(CheckIn)):
            checkin.rating = 4 if checkin.note_shared is False else 1
        uow.commit()
    for user in (*FACILITATORS, *MEMBERS):
        running.standin.add_user(user)
    escalate(running, world.partnership_id)
    return running


def test_an_alert_button_forged_to_name_a_circle_prompt_leaves_the_prompt_and_redraws_only_the_dms(
    alerted: RunningApp,
) -> None:
    prompt = circle_prompt(alerted)
    facilitator = FACILITATORS[0]
    number = str(escalation_id(alerted))
    pressed_in(
        alerted,
        ids.ESCALATION_CLAIM,
        facilitator,
        number,
        (CIRCLE, prompt["ts"]),
        alert(alerted, facilitator),
    )
    answers_to(alerted, facilitator)
    updates(alerted, len(FACILITATORS))
    untouched(alerted, prompt)
    redrawn = {c.args["channel"] for c in alerted.standin.calls("chat.update")}
    assert redrawn == {dm_channel_id(user) for user in FACILITATORS}
    assert f"<@{facilitator}> is reaching out" in json.dumps(alert(alerted, facilitator))


def test_an_alert_pressed_in_ones_own_dm_redraws_that_copy_even_when_the_outbox_never_learnt_of_it(
    alerted: RunningApp,
) -> None:
    facilitator = FACILITATORS[0]
    shown = alert(alerted, facilitator)
    # The same alert posted once more, its answer lost: the outbox knows only the first.
    again = client(alerted).chat_postMessage(channel=facilitator, text=shown["text"], blocks=shown["blocks"])
    copy = (again["channel"], again["ts"])
    pressed_in(alerted, ids.ESCALATION_CLAIM, facilitator, str(escalation_id(alerted)), copy, shown)
    redrawn = updates(alerted, len(FACILITATORS) + 1)
    assert copy in {(c.args["channel"], c.args["ts"]) for c in redrawn}
    for message in alerted.standin.messages(dm_channel_id(facilitator)):
        assert f"<@{facilitator}> is reaching out" in json.dumps(message)


# -- a check-in's buttons and form, for the member -----------------------------------------------------


def ask_lee(app: RunningApp) -> tuple[int, Where, dict[str, Any]]:
    """Lee's check-in, sent to his DM as the dispatcher does, the outbox recording where it went."""
    with app.db.unit_of_work() as uow:
        checkin_id = factories.coached_checkin(uow.session)
        checkin = uow.session.get_one(CheckIn, checkin_id)
        args = {"checkin_id": checkin_id, "cohort_name": "PGY-1 spring", "partner_user_id": "U0ADA"}
        message = render("checkin", args)
        posted = client(app).chat_postMessage(
            channel="U0LEE", text=message.text, blocks=message.block_dicts()
        )
        uow.session.add(
            OutboxMessage(
                workspace_id=checkin.workspace_id,
                idempotency_key=f"checkin:{checkin.partnership_id}:{checkin.member_id}:{checkin.due_at:%Y-%m-%d}",
                method="chat.postMessage",
                channel="U0LEE",
                payload={"template": "checkin", "args": args},
                status=OutboxStatus.SENT,
                due_at=checkin.due_at,
                created_at=checkin.due_at,
                sent_at=checkin.due_at,
                result={"channel": posted["channel"], "ts": posted["ts"]},
            )
        )
        uow.commit()
    app.standin.clear()
    return checkin_id, (posted["channel"], posted["ts"]), posted["message"]


def rating_of(app: RunningApp, checkin_id: int) -> int | None:
    with app.db.reading() as uow:
        return uow.session.get_one(CheckIn, checkin_id).rating


def told_in_dm(app: RunningApp, user: str) -> str:
    """What the app posted in `user`'s DM with it."""
    [told] = app.standin.wait_for("chat.postMessage", predicate=lambda c: c.args["channel"] == user)
    return json.dumps(told.args, ensure_ascii=False)


def test_a_rating_forged_to_name_a_circle_prompt_is_kept_and_confirmed_in_the_dm_only(
    running: RunningApp,
) -> None:
    checkin_id, _, shown = ask_lee(running)
    prompt = circle_prompt(running)
    pressed_in(running, f"{ids.CHECKIN_RATE}_2", "U0LEE", f"{checkin_id}:2", (CIRCLE, prompt["ts"]), shown)
    untouched(running, prompt)
    assert "*2 of 5*" in told_in_dm(running, "U0LEE")
    assert rating_of(running, checkin_id) == 2


def test_a_checkin_form_whose_metadata_names_a_circle_prompt_is_kept_and_confirmed_in_the_dm_only(
    running: RunningApp,
) -> None:
    checkin_id, _, _ = ask_lee(running)
    prompt = circle_prompt(running)
    forged = FormOrigin(checkin_id, CIRCLE, prompt["ts"]).encode()
    values = form_values("1", "no", None, share=False, support=False)
    running.post(
        running.signer.view_submission(
            ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=forged
        )
    )
    untouched(running, prompt)
    assert "*1 of 5*" in told_in_dm(running, "U0LEE")
    assert rating_of(running, checkin_id) == 1


def test_a_rating_tapped_on_the_checkin_the_app_sent_redraws_it_in_place(
    serve_app: Callable[..., RunningApp], any_database: str
) -> None:
    app = serve_app(database_url=any_database)
    checkin_id, sent, shown = ask_lee(app)
    only_the_outbox_vouches(app)
    pressed_in(app, f"{ids.CHECKIN_RATE}_4", "U0LEE", f"{checkin_id}:4", sent, shown)
    [update] = app.standin.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == sent
    [now_shown] = app.standin.messages(sent[0])
    assert "*4 of 5*" in json.dumps(now_shown)
    assert app.standin.calls("chat.postMessage") == []


# -- a survey's form, for the member -------------------------------------------------------------------


def survey_form(app: RunningApp) -> tuple[dict[str, Any], Where]:
    """Nia's survey, sent by a tick, and its form as Answer on it opened: the view and where the invite is."""
    seed(app)
    tick(app, on(TODAY, 9, 5), CIRCLES_NOTES_KEY=NOTES_KEY)  # the app's key, as PostgreSQL wants one
    [invite] = surveys_to(app, "U0NIA")
    channel = invite.response["channel"]
    [dm] = [m for m in app.standin.messages(channel) if ids.SURVEY_OPEN in json.dumps(m)]
    button = next(e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"])
    app.standin.clear()
    pressed_in(app, ids.SURVEY_OPEN, "U0NIA", button["value"], (channel, dm["ts"]), dm)
    [opened] = app.standin.wait_for("views.open")
    app.standin.clear()
    return opened.args["view"], (channel, dm["ts"])


def send_survey(app: RunningApp, view: dict[str, Any], metadata: str) -> None:
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    values = {
        block: {ids.INPUT: {"type": "radio_buttons", "selected_option": {"value": "3"}}} for block in inputs
    }
    request = app.signer.view_submission(
        ids.SURVEY_VIEW, user_id="U0NIA", values=values, private_metadata=metadata
    )
    assert app.post(request) == (200, b"")


def answered(app: RunningApp) -> int:
    with app.db.reading() as uow:
        return len(list(uow.session.scalars(select(SurveyAnswer))))


def test_a_survey_form_whose_metadata_names_a_circle_prompt_is_kept_and_confirmed_in_the_dm_only(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    view, _ = survey_form(app)
    prompt = circle_prompt(app)
    forged = {**json.loads(view["private_metadata"]), "channel": CIRCLE, "ts": prompt["ts"]}
    send_survey(app, view, json.dumps(forged))
    untouched(app, prompt)
    assert "answered, thank you" in told_in_dm(app, "U0NIA")
    assert answered(app) == 4


def test_a_survey_form_opened_from_the_invite_the_app_sent_redraws_it_in_place(
    serve_app: Callable[..., RunningApp], any_database: str
) -> None:
    app = serve_app(database_url=any_database)
    view, invite = survey_form(app)
    only_the_outbox_vouches(app)
    send_survey(app, view, view["private_metadata"])
    [update] = app.standin.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == invite
    assert answered(app) == 4
    app.settled()
    assert app.standin.calls("chat.postMessage") == []
