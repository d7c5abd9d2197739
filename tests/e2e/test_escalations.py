"""Escalations end to end: low, diverging check-ins reach the facilitators privately; their buttons work.

The health step hands `open_escalations` its concerns, and the dispatcher sends the outbox; both are
built elsewhere, so here the test plays them: it derives the concern from the stored check-ins and
posts the outbox rows to the stand-in with a WebClient, recording where each landed as the dispatcher
will. Everything after that goes through the real HTTP app with signed requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot import ids
from bot.messages import render
from circles.domain.vocabulary import EscalationStatus, OutboxStatus
from circles.persistence.models import CheckIn, Escalation, EscalationEvent, OutboxMessage, Workspace
from circles.services.escalations.open import Concern, open_escalations
from standin import Call
from standin.defaults import dm_channel_id
from standin.forms import submitted_values
from tests import escalation_world as w
from tests import factories
from tests.e2e.conftest import BOT_TOKEN, RunningApp
from tests.escalation_world import FACILITATORS, PRIVATE_NOTE, SHARED_NOTE

MEMBERS = ("U0COACH", "U0LEARN", "U0OTHER")
LOW, APART = "a rating of 1 at the last check-in", "the partners' ratings are 3 points apart"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        world = w.build(uow.session)
        ratings = {"U0COACH": 4, "U0LEARN": 1}  # low, and far apart
        for checkin in uow.session.scalars(select(CheckIn)):
            checkin.rating = ratings["U0COACH" if checkin.note_shared is False else "U0LEARN"]
        uow.commit()
    for user in (*FACILITATORS, *MEMBERS):
        running.standin.add_user(user)
    escalate(running, world.partnership_id)
    return running


def escalate(app: RunningApp, partnership_id: int) -> None:
    """Play the health step (a concern from the check-ins) and the dispatcher (post, record where)."""
    with app.db.unit_of_work() as uow:
        ratings = [c.rating or 0 for c in uow.session.scalars(select(CheckIn))]
        reasons = (LOW,) * (min(ratings) <= 1) + (APART,) * (max(ratings) - min(ratings) >= 3)
        concern = Concern(partnership_id, "struggling", reasons, 0, (("2026-10-19", "struggling"),))
        open_escalations(uow.session, [concern], w.at(), decrypt=w.unseal)
        uow.commit()
    client = WebClient(token=BOT_TOKEN, base_url=app.standin.api_url)
    with app.db.unit_of_work() as uow:
        for row in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ):
            message = render(row.payload["template"], row.payload["args"])
            posted = client.chat_postMessage(
                channel=row.channel or "", text=message.text, blocks=message.block_dicts()
            )
            row.status, row.result = OutboxStatus.SENT, {"channel": posted["channel"], "ts": posted["ts"]}
        uow.commit()


def escalation_id(app: RunningApp) -> int:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Escalation.id)).one()


def alert(app: RunningApp, user: str) -> dict[str, Any]:
    """The alert as it stands in this facilitator's DM."""
    [message] = app.standin.messages(dm_channel_id(user))
    return message


def click(app: RunningApp, action: str, user: str, value: str, **extra: Any) -> None:
    """Press a button on the alert as shown in the clicker's DM (members have none: they forge one)."""
    shown = alert(app, FACILITATORS[0] if user not in FACILITATORS else user)
    app.post(
        app.signer.block_action(
            action,
            user_id=user,
            value=value,
            channel_id=dm_channel_id(user),
            message=shown,
            response_url=app.standin.response_url(user),
            **extra,
        )
    )


def answers_to(app: RunningApp, user: str, count: int = 1) -> list[str]:
    calls = app.standin.wait_for(
        "response_url", count=count, timeout=10, predicate=lambda c: c.path.endswith(f"/{user}")
    )
    return [json.dumps(c.args) for c in calls]


def updates(app: RunningApp, count: int) -> list[Call]:
    return app.standin.wait_for("chat.update", count=count, timeout=10)


def stored(app: RunningApp) -> Escalation:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Escalation)).one()


def trail(app: RunningApp) -> list[tuple[str, str]]:
    with app.db.unit_of_work() as uow:
        events = uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id))
        return [(e.actor, e.action) for e in events]


def test_low_diverging_check_ins_reach_each_facilitator_once_and_nobody_else(app: RunningApp) -> None:
    posts = app.standin.calls("chat.postMessage")
    assert sorted(c.args["channel"] for c in posts) == list(FACILITATORS)
    for user in FACILITATORS:
        text = json.dumps(alert(app, user), ensure_ascii=False)
        assert "<@U0COACH> and <@U0LEARN>" in text
        assert LOW in text
        assert APART in text
        assert SHARED_NOTE in text
        assert PRIVATE_NOTE not in text
    assert_private(app)


def test_a_facilitator_reaches_out_and_every_copy_shows_who_and_when(app: RunningApp) -> None:
    number = str(escalation_id(app))
    click(app, ids.ESCALATION_CLAIM, "U0FAC2", number)
    assert "The other facilitators can see" in answers_to(app, "U0FAC2")[0]
    assert {c.args["channel"] for c in updates(app, 2)} == {dm_channel_id(u) for u in FACILITATORS}
    for user in FACILITATORS:
        assert "<@U0FAC2> is reaching out, since <!date^" in json.dumps(alert(app, user))
    assert (stored(app).status, stored(app).claimed_by) == (EscalationStatus.CLAIMED, "U0FAC2")
    click(app, ids.ESCALATION_CLAIM, "U0FAC1", number)
    assert "<@U0FAC2> is already reaching out" in answers_to(app, "U0FAC1")[0]
    assert stored(app).claimed_by == "U0FAC2"
    assert trail(app) == [("circles", "opened"), ("U0FAC2", "claimed")]
    assert_private(app)


def test_snoozing_from_the_menu_is_stored_and_shown_on_every_copy(app: RunningApp) -> None:
    number = str(escalation_id(app))
    click(app, ids.ESCALATION_SNOOZE, "U0FAC1", f"{number}:7", action_type="static_select")
    assert "Snoozed for 7 days" in answers_to(app, "U0FAC1")[0]
    updates(app, 2)
    assert stored(app).status is EscalationStatus.SNOOZED
    for user in FACILITATORS:
        assert "Snoozed by <@U0FAC1> until" in json.dumps(alert(app, user))
    click(app, ids.ESCALATION_SNOOZE, "U0FAC1", f"{number}:365", action_type="static_select")
    assert "out of date" in answers_to(app, "U0FAC1", count=2)[1]
    assert trail(app) == [("circles", "opened"), ("U0FAC1", "snoozed")]
    assert_private(app)


def test_resolving_through_the_form_closes_it_everywhere(app: RunningApp) -> None:
    number = str(escalation_id(app))
    click(app, ids.ESCALATION_RESOLVE_OPEN, "U0FAC1", number, trigger_id="t-resolve")
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"]
    values = submitted_values(
        view, {ids.ESCALATION_OUTCOME: "reconnected", ids.ESCALATION_COMMENT: "We talked."}
    )
    app.post(
        app.signer.view_submission(
            ids.ESCALATION_RESOLVE_VIEW,
            user_id="U0FAC1",
            values=values,
            private_metadata=view["private_metadata"],
        )
    )
    updates(app, 2)
    escalation = stored(app)
    assert (escalation.status, escalation.outcome) == (EscalationStatus.RESOLVED, "reconnected")
    for user in FACILITATORS:
        shown = json.dumps(alert(app, user))
        assert "Resolved by <@U0FAC1>" in shown
        assert SHARED_NOTE not in shown  # resolved: the notes leave the DMs
        assert ids.ESCALATION_CLAIM not in shown
    assert trail(app) == [("circles", "opened"), ("U0FAC1", "resolved")]
    assert_private(app)


def test_suggesting_a_re_match_ends_it_quietly_and_previews_a_new_partner_for_each(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        factories.profile(uow.session, uow.session.scalars(select(Workspace)).one(), "U0COACH").capacity = 2
        uow.commit()
    click(app, ids.ESCALATION_REMATCH, "U0FAC1", str(escalation_id(app)))
    answers = answers_to(app, "U0FAC1", count=3)
    assert "has ended and the alert is resolved" in answers[0]
    assert all("Re-match in PGY-1" in a for a in answers[1:])
    assert "<@U0COACH> + <@U0OTHER>" in answers[1]
    assert ids.MATCH_CONFIRM not in answers[1]  # the second preview replaced the first
    assert f"{ids.REMATCH_OFFER}:0" in answers[1]
    updates(app, 2)
    with app.db.unit_of_work() as uow:
        told = {row.channel: w.rendered(row) for row in uow.session.scalars(select(OutboxMessage))}
    for partner in ("U0COACH", "U0LEARN"):
        assert "has ended" in told[partner]
        assert "U0FAC1" not in told[partner]
    assert trail(app) == [("circles", "opened"), ("U0FAC1", "suggested_rematch"), ("U0FAC1", "resolved")]
    assert_private(app)


@pytest.mark.parametrize("member", MEMBERS)
def test_members_pressing_the_buttons_are_refused_and_nothing_is_stored(app: RunningApp, member: str) -> None:
    number = str(escalation_id(app))
    click(app, ids.ESCALATION_CLAIM, member, number)
    click(app, ids.ESCALATION_SNOOZE, member, f"{number}:3", action_type="static_select")
    click(app, ids.ESCALATION_RESOLVE_OPEN, member, number, trigger_id="t-member")
    click(app, ids.ESCALATION_END, member, number)
    refusals = answers_to(app, member, count=4)
    assert all("Only the cohort's facilitators can act on this alert" in r for r in refusals)
    values = {ids.ESCALATION_OUTCOME: {ids.ESCALATION_INPUT: {"selected_option": {"value": "ended"}}}}
    app.post(
        app.signer.view_submission(
            ids.ESCALATION_RESOLVE_VIEW, user_id=member, values=values, private_metadata=number
        )
    )
    [told] = app.standin.wait_for(
        "chat.postMessage", timeout=10, predicate=lambda c: c.args["channel"] == member
    )
    assert "Only the cohort's facilitators" in told.args["text"]
    assert app.standin.calls("views.open") == []
    assert app.standin.calls("chat.update") == []
    assert stored(app).status is EscalationStatus.OPEN
    assert trail(app) == [("circles", "opened")]
    assert_private(app)


def test_hostile_button_values_get_a_kind_answer(app: RunningApp) -> None:
    for value in ("DROP TABLE", "²", "99999999999999999999", str(escalation_id(app) + 50)):
        click(app, ids.ESCALATION_CLAIM, "U0FAC1", value)
    answers = answers_to(app, "U0FAC1", count=4)
    assert all("out of date" in a or "Only the cohort's facilitators" in a for a in answers)
    assert stored(app).status is EscalationStatus.OPEN


def assert_private(app: RunningApp) -> None:
    """Over every call the stand-in saw: nothing in a channel, nothing private to anyone but facilitators."""
    facilitators = {*FACILITATORS, *(dm_channel_id(u) for u in FACILITATORS)}
    private = ("U0COACH> and", LOW, APART, SHARED_NOTE, PRIVATE_NOTE, "struggling")
    for call in app.standin.calls():
        target = call.path.rsplit("/", 1)[-1] if call.method == "response_url" else call.args.get("channel")
        assert not str(target or "").startswith(("C", "G")), call.summary()
        if target not in facilitators:
            body = json.dumps(call.args, ensure_ascii=False)
            assert not any(secret in body for secret in private), call.summary()
