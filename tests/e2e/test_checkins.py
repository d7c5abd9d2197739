"""Check-ins and support through the real HTTP endpoint, with signed requests and the Slack stand-in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot import ids
from bot.messages import render
from circles.notes import note_cipher
from circles.persistence.models import CheckIn, OutboxMessage
from standin import Call
from tests import factories
from tests.e2e.conftest import BOT_TOKEN, RunningApp

NOTE = "Our meetings keep getting cancelled"


@dataclass(frozen=True)
class Posted:
    """A check-in as the dispatcher would have put it in Lee's DM."""

    checkin_id: int
    channel: str
    ts: str
    message: dict[str, Any]


def seed(running: RunningApp) -> int:
    """Ada coaches Lee in a cohort run by Fay; Lee's check-in is due. Returns its id."""
    with running.db.unit_of_work() as uow:
        checkin_id = factories.coached_checkin(uow.session)
        uow.commit()
        return checkin_id


def post_checkin(running: RunningApp, checkin_id: int) -> Posted:
    """Render the `checkin` template and post it to Lee as the dispatcher does."""
    args = {"checkin_id": checkin_id, "cohort_name": "PGY-1 spring", "partner_user_id": "U0ADA"}
    message = render("checkin", args)
    client = WebClient(token=BOT_TOKEN, base_url=running.standin.api_url)
    posted = client.chat_postMessage(channel="U0LEE", text=message.text, blocks=message.block_dicts())
    running.standin.clear()
    return Posted(checkin_id, posted["channel"], posted["ts"], posted["message"])


def click(running: RunningApp, posted: Posted, action_id: str, value: str, user_id: str = "U0LEE") -> None:
    request = running.signer.block_action(
        action_id,
        user_id=user_id,
        value=value,
        channel_id=posted.channel,
        message=posted.message,
        trigger_id=f"1.2.{action_id}",
    )
    assert running.post(request)[0] == 200


def stored(running: RunningApp, checkin_id: int) -> CheckIn:
    with running.db.unit_of_work() as uow:
        return uow.session.get_one(CheckIn, checkin_id)


def outbox(running: RunningApp) -> list[OutboxMessage]:
    with running.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def shown(call: Call | dict[str, Any]) -> str:
    return json.dumps(call.args if isinstance(call, Call) else call, ensure_ascii=False)


def has_buttons(message: dict[str, Any]) -> bool:
    return any(b["type"] == "actions" or "accessory" in b for b in message.get("blocks", []))


def form_values(rating: str, met: str, note: str | None, share: bool, support: bool) -> dict[str, Any]:
    def ticked(on: bool) -> dict[str, Any]:
        return {"type": "checkboxes", "selected_options": [{"value": "yes"}] if on else []}

    return {
        ids.CHECKIN_RATING: {
            ids.CHECKIN_INPUT: {"type": "radio_buttons", "selected_option": {"value": rating}}
        },
        ids.CHECKIN_MET: {ids.CHECKIN_INPUT: {"type": "radio_buttons", "selected_option": {"value": met}}},
        ids.CHECKIN_NOTE: {ids.CHECKIN_INPUT: {"type": "plain_text_input", "value": note}},
        ids.CHECKIN_SHARE: {ids.CHECKIN_INPUT: ticked(share)},
        ids.CHECKIN_SUPPORT: {ids.CHECKIN_INPUT: ticked(support)},
    }


def test_a_rating_tapped_in_the_dm_is_stored_and_the_message_loses_its_buttons(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    assert has_buttons(running.standin.messages(posted.channel)[0])

    click(running, posted, f"{ids.CHECKIN_RATE}_4", f"{posted.checkin_id}:4")
    [update] = running.standin.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (posted.channel, posted.ts)
    [now_shown] = running.standin.messages(posted.channel)
    assert not has_buttons(now_shown)
    assert "answered, thank you" in shown(now_shown)
    assert "*4 of 5*" in shown(now_shown)
    row = stored(running, posted.checkin_id)
    assert (row.rating, row.met, row.note_encrypted) == (4, None, None)
    assert row.answered_at is not None
    # The answer shows only in Lee's own DM: nothing else was posted anywhere.
    assert running.standin.calls("chat.postMessage") == []


def test_a_second_click_is_refused_kindly_and_the_first_answer_stays(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    click(running, posted, f"{ids.CHECKIN_RATE}_4", f"{posted.checkin_id}:4")
    running.standin.wait_for("chat.update")
    running.standin.clear()

    click(running, posted, f"{ids.CHECKIN_RATE}_1", f"{posted.checkin_id}:1")  # a stale copy of the message
    [refused] = running.standin.wait_for("response_url")
    assert refused.args["response_type"] == "ephemeral"
    assert "already answered this check-in" in shown(refused)
    assert stored(running, posted.checkin_id).rating == 4


def test_an_older_checkin_says_a_newer_one_is_waiting_and_closes(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    with running.db.unit_of_work() as uow:
        old = uow.session.get_one(CheckIn, posted.checkin_id)
        uow.session.add(
            CheckIn(
                workspace_id=old.workspace_id,
                partnership_id=old.partnership_id,
                member_id=old.member_id,
                due_at=old.due_at + timedelta(days=14),
            )
        )
        uow.commit()
    click(running, posted, f"{ids.CHECKIN_RATE}_3", f"{posted.checkin_id}:3")
    [refused] = running.standin.wait_for("response_url")
    assert "A newer check-in is waiting for you" in shown(refused)
    running.standin.wait_for("chat.update")
    [now_shown] = running.standin.messages(posted.channel)
    assert not has_buttons(now_shown)
    assert "Check-in closed" in shown(now_shown)
    assert stored(running, posted.checkin_id).answered_at is None


def test_someone_elses_or_a_malformed_button_is_refused_without_revealing_anything(
    running: RunningApp,
) -> None:
    posted = post_checkin(running, seed(running))
    click(running, posted, f"{ids.CHECKIN_RATE}_1", f"{posted.checkin_id}:1", user_id="U0ADA")
    click(running, posted, f"{ids.CHECKIN_RATE}_1", "1;DROP TABLE checkins:1")
    click(running, posted, ids.CHECKIN_OPEN, "99999", user_id="U0ADA")
    refusals = running.standin.wait_for("response_url", 3)
    assert all("I can't open that check-in for you" in shown(r) for r in refusals)
    assert all("U0LEE" not in shown(r) and "PGY-1" not in shown(r) for r in refusals)
    running.settled()
    assert stored(running, posted.checkin_id).answered_at is None
    assert running.standin.calls("chat.update") == []
    assert running.standin.calls("views.open") == []


def test_the_full_form_stores_the_note_encrypted_and_tells_only_the_facilitator(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    click(running, posted, ids.CHECKIN_OPEN_SUPPORT, str(posted.checkin_id))
    [opened] = running.standin.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == ids.CHECKIN_VIEW
    running.standin.clear()

    values = form_values("2", "no", NOTE, share=True, support=True)
    submit = running.signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=view["private_metadata"]
    )
    assert running.post(submit) == (200, b"")  # the form closes at once; storing follows
    running.standin.wait_for("chat.update")
    [now_shown] = running.standin.messages(posted.channel)
    assert not has_buttons(now_shown)
    assert "<@U0FAY>" in shown(now_shown)
    assert "within two working days" in shown(now_shown)
    row = stored(running, posted.checkin_id)
    assert (row.rating, row.met, row.note_shared, row.wants_support) == (2, False, True, True)
    assert row.note_encrypted is not None
    assert NOTE.encode() not in row.note_encrypted
    assert note_cipher(running.settings).decrypt(row.note_encrypted) == NOTE
    [to_facilitator] = outbox(running)
    assert to_facilitator.channel == "U0FAY"  # never Ada, never a channel
    assert to_facilitator.payload["args"]["message"] == NOTE


def test_a_form_rating_out_of_range_is_shown_inline_and_nothing_is_stored(running: RunningApp) -> None:
    checkin_id = seed(running)
    metadata = json.dumps({"checkin": checkin_id, "channel": None, "ts": None})
    values = form_values("7", "yes", None, share=False, support=False)
    submit = running.signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=metadata
    )
    status, body = running.post(submit)
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {ids.CHECKIN_RATING: "Choose a rating from 1 to 5."},
    }
    running.settled()
    assert stored(running, checkin_id).answered_at is None


def test_checkin_command_opens_the_form_and_its_answer_is_confirmed_in_the_dm(running: RunningApp) -> None:
    checkin_id = seed(running)
    running.post(running.signer.slash_command("checkin", user_id="U0LEE", trigger_id="1.2.checkin"))
    [opened] = running.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "1.2.checkin"
    view = opened.args["view"]
    assert json.loads(view["private_metadata"])["checkin"] == checkin_id
    assert "<@U0ADA>" in shown(view)

    values = form_values("5", "yes", "Going great", share=False, support=False)
    submit = running.signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=view["private_metadata"]
    )
    running.post(submit)
    [confirmed] = running.standin.wait_for("chat.postMessage")
    assert confirmed.args["channel"] == "U0LEE"  # Lee's own DM with the app
    assert "your note stays private" in shown(confirmed)
    assert "Going great" not in shown(confirmed)
    assert stored(running, checkin_id).rating == 5
    assert outbox(running) == []


def test_checkin_without_a_partnership_is_answered_kindly(running: RunningApp) -> None:
    running.post(running.signer.slash_command("checkin", user_id="U0NOBODY"))
    [answer] = running.standin.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "no active partnership" in shown(answer)


@pytest.mark.parametrize("text", ["support need help", "support pgy1-spring"])
def test_support_reaches_the_facilitators_privately_and_the_member_knows_who_and_when(
    running: RunningApp, text: str
) -> None:
    seed(running)
    running.post(running.signer.slash_command(text, user_id="U0LEE"))
    [answer] = running.standin.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "<@U0FAY>" in shown(answer)
    assert "within two working days" in shown(answer)
    [dm] = outbox(running)
    assert dm.channel == "U0FAY"
    assert dm.payload["template"] == "support_request"
    assert dm.payload["args"]["message"] == ("need help" if text == "support need help" else None)
    # Recorded for the dispatcher: nothing went to Slack directly, least of all to Ada or a channel.
    assert running.standin.calls("chat.postMessage") == []
