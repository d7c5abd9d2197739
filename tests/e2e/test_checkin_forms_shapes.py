"""The check-in form as people really send it: twice, late, forged, and with the longest note."""

from __future__ import annotations

import json
from typing import Any

from bot import ids
from bot.messages import render
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import CheckIn, Partnership
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkins import (
    form_values,
    has_buttons,
    outbox,
    post_checkin,
    seed,
    shown,
    stored,
)


def submit_form(
    running: RunningApp,
    checkin_id: int,
    values: dict[str, Any],
    *,
    user_id: str = "U0LEE",
    channel: str | None = None,
    ts: str | None = None,
) -> None:
    metadata = json.dumps({"checkin": checkin_id, "channel": channel, "ts": ts})
    request = running.signer.view_submission(
        ids.CHECKIN_VIEW, user_id=user_id, values=values, private_metadata=metadata, view_id="V0SAME"
    )
    assert running.post(request) == (200, b"")


def test_a_form_sent_twice_keeps_one_answer_one_alert_and_the_answered_message(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    values = form_values("2", "no", "We keep missing each other", share=True, support=True)
    submit_form(running, posted.checkin_id, values, channel=posted.channel, ts=posted.ts)
    submit_form(running, posted.checkin_id, values, channel=posted.channel, ts=posted.ts)
    running.settled()
    [alert] = outbox(running)
    assert alert.channel == "U0FAY"
    now_shown, *_ = running.standin.messages(posted.channel)
    assert "answered, thank you" in shown(now_shown)
    assert "<@U0FAY>" in shown(now_shown)


def test_a_form_naming_someone_elses_checkin_is_refused_and_their_message_untouched(
    running: RunningApp,
) -> None:
    posted = post_checkin(running, seed(running))
    values = form_values("1", "no", "forged", share=True, support=True)
    submit_form(running, posted.checkin_id, values, user_id="U0ADA", channel=posted.channel, ts=posted.ts)
    [refused] = running.standin.wait_for("chat.postMessage")
    assert refused.args["channel"] == "U0ADA"
    assert "I can't open that check-in for you" in shown(refused)
    assert "U0LEE" not in shown(refused)
    assert "PGY-1" not in shown(refused)
    running.settled()
    assert stored(running, posted.checkin_id).answered_at is None
    assert running.standin.calls("chat.update") == []
    assert outbox(running) == []


def test_the_longest_note_with_mentions_is_kept_secret_and_reaches_the_facilitator_escaped(
    running: RunningApp,
) -> None:
    checkin_id = seed(running)
    note = ("<!channel> <@U0ADA> 🙂 " * 200)[:2000]
    submit_form(running, checkin_id, form_values("3", "yes", note, share=True, support=True))
    running.standin.wait_for("chat.postMessage")
    row = stored(running, checkin_id)
    assert row.note_encrypted is not None
    assert note.encode() not in row.note_encrypted
    [alert] = outbox(running)
    rendered = render(alert.payload["template"], alert.payload["args"])
    words = json.dumps(rendered.block_dicts(), ensure_ascii=False)
    assert "<!channel>" not in words  # the partner is named on purpose; nothing the member typed pings
    assert "&lt;!channel&gt;" in words


def test_support_ticked_without_a_note_reaches_the_facilitator(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    submit_form(
        running,
        posted.checkin_id,
        form_values("4", "yes", None, share=False, support=True),
        channel=posted.channel,
        ts=posted.ts,
    )
    running.standin.wait_for("chat.update")
    [alert] = outbox(running)
    assert alert.channel == "U0FAY"
    assert alert.payload["args"]["message"] is None
    assert "<@U0FAY>" in shown(running.standin.messages(posted.channel)[0])


def test_a_form_sent_after_the_partnership_ended_says_so_and_stores_nothing(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    with running.db.unit_of_work() as uow:
        row = uow.session.get_one(CheckIn, posted.checkin_id)
        uow.session.get_one(Partnership, row.partnership_id).status = PartnershipStatus.ENDED
        uow.commit()
    submit_form(
        running,
        posted.checkin_id,
        form_values("2", "no", "x", share=True, support=True),
        channel=posted.channel,
        ts=posted.ts,
    )
    [refused] = running.standin.wait_for("chat.postMessage")
    assert "ended" in shown(refused) or "closed" in shown(refused).lower()
    running.settled()
    assert not has_buttons(running.standin.messages(posted.channel)[0])
    assert stored(running, posted.checkin_id).answered_at is None
    # Nothing of the answer is kept; the support it asked for still goes, to the facilitator alone.
    [request] = outbox(running)
    assert (request.channel, request.payload["template"]) == ("U0FAY", "support_request")
