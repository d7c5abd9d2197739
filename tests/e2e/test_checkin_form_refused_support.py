"""A check-in form that asks for support but can no longer be answered (answered on another device, the
pair paused or ended, a newer check-in) while it was open: the answer is not kept, the request for support
still reaches the facilitators, and the member is told both, honestly."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.messages import render
from circles.domain.vocabulary import MemberStatus, PartnershipStatus
from circles.persistence.models import CheckIn, Member, Partnership
from circles.services.planning.write import delete_unsent_checkins
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkins import Posted, click, form_values, outbox, post_checkin, seed, shown, stored

NOTE = "I am really struggling and need to talk to someone"


def open_support_form(app: RunningApp) -> tuple[Posted, dict[str, Any]]:
    """Lee's check-in in the DM, and its full form opened from "I'd like support"."""
    posted = post_checkin(app, seed(app))
    click(app, posted, ids.CHECKIN_OPEN_SUPPORT, str(posted.checkin_id))
    [opened] = app.standin.wait_for("views.open")
    view: dict[str, Any] = opened.args["view"]
    return posted, view


def submit(app: RunningApp, view: dict[str, Any], *, share: bool = True, support: bool = True) -> None:
    """Submit the form with rating 1 and the note, and wait for what it started."""
    app.settled()
    app.standin.clear()
    values = form_values("1", "no", NOTE, share=share, support=support)
    request = app.signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=view["private_metadata"]
    )
    assert app.post(request) == (200, b"")
    app.settled()


def send(app: RunningApp, view: dict[str, Any], *, share: bool = True, support: bool = True) -> str:
    """Submit the form; what Lee is then told in the DM."""
    submit(app, view, share=share, support=support)
    [told] = [call for call in app.standin.calls("chat.postMessage") if call.args["channel"] == "U0LEE"]
    return shown(told)


def facilitator_sees(app: RunningApp) -> str:
    """The support request the facilitator, Fay, is sent: the one message recorded, and only to her."""
    [request] = outbox(app)
    assert request.channel == "U0FAY"
    assert request.payload["template"] == "support_request"
    return json.dumps(render("support_request", request.payload["args"]).block_dicts())


def tapped_meanwhile(app: RunningApp, posted: Posted) -> None:
    """A rating tapped in the DM on another device while the form is open."""
    click(app, posted, f"{ids.CHECKIN_RATE}_4", f"{posted.checkin_id}:4")
    app.standin.wait_for("chat.update")


def test_support_ticked_on_a_checkin_answered_meanwhile_still_reaches_the_facilitator(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    posted, view = open_support_form(running)
    tapped_meanwhile(running, posted)

    told = send(running, view)

    assert "Your check-in answer was not recorded" in told
    assert "You had already answered this check-in, and that first answer stands." in told
    assert "Your request for support still went" in told
    assert "the facilitators of *PGY-1 spring*: <@U0FAY>" in told
    assert "Your shared note went with it" in told
    assert "Nothing was changed" not in told
    assert NOTE not in told
    sees = facilitator_sees(running)
    assert "<@U0LEE> asked for support in their check-in about their partnership with <@U0ADA>" in sees
    assert NOTE in sees
    assert stored(running, posted.checkin_id).rating == 4  # the first answer stands
    assert all(NOTE not in record.getMessage() for record in caplog.records)


def test_a_note_not_shared_stays_private_when_the_support_request_goes_anyway(running: RunningApp) -> None:
    posted, view = open_support_form(running)
    tapped_meanwhile(running, posted)

    told = send(running, view, share=False)

    assert "Your request for support still went" in told
    assert "it stayed private: it did not go with your request" in told
    sees = facilitator_sees(running)
    assert NOTE not in sees
    assert "They did not add a message" in sees


def test_support_ticked_on_a_checkin_whose_pair_was_paused_meanwhile_still_goes(running: RunningApp) -> None:
    posted, view = open_support_form(running)
    with running.db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, stored(running, posted.checkin_id).partnership_id)
        pair.status = PartnershipStatus.PAUSED
        uow.commit()

    told = send(running, view)

    assert "This partnership is paused or has ended, so its check-in is closed." in told
    assert "Your request for support still went" in told
    assert "<@U0FAY>" in told
    assert NOTE in facilitator_sees(running)
    assert stored(running, posted.checkin_id).answered_at is None


def test_support_ticked_on_a_checkin_superseded_meanwhile_still_goes(running: RunningApp) -> None:
    posted, view = open_support_form(running)
    with running.db.unit_of_work() as uow:
        old = uow.session.get_one(CheckIn, posted.checkin_id)
        newer = CheckIn(
            workspace_id=old.workspace_id,
            partnership_id=old.partnership_id,
            member_id=old.member_id,
            due_at=old.due_at + timedelta(days=14),
        )
        uow.session.add(newer)
        uow.commit()

    told = send(running, view)

    assert "A newer check-in is waiting for you, so this one is closed." in told
    assert "Your request for support still went" in told
    assert NOTE in facilitator_sees(running)


def test_support_ticked_on_a_checkin_dropped_meanwhile_still_goes_about_its_pair(running: RunningApp) -> None:
    """The first pass after an outage dropped the check-in, its question never sent in time, while the form
    was open: the form names its pair, so the request still goes about it."""
    posted, view = open_support_form(running)
    with running.db.unit_of_work() as uow:
        delete_unsent_checkins(uow.session, [posted.checkin_id])  # as the expiry does
        uow.commit()

    told = send(running, view)

    assert "Your check-in answer was not recorded" in told
    assert "Your request for support still went" in told
    assert "the facilitators of *PGY-1 spring*: <@U0FAY>" in told
    sees = facilitator_sees(running)
    assert "<@U0LEE> asked for support in their check-in about their partnership with <@U0ADA>" in sees
    assert NOTE in sees


def test_a_member_who_left_hears_why_neither_the_answer_nor_the_request_went(running: RunningApp) -> None:
    posted, view = open_support_form(running)
    with running.db.unit_of_work() as uow:
        lee = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEE")).one()
        lee.status = MemberStatus.LEFT
        uow.commit()

    told = send(running, view)

    assert "Your check-in answer was not recorded" in told
    assert "Your request for support could not be sent either" in told
    assert "you are not in one here" in told
    assert outbox(running) == []
    assert stored(running, posted.checkin_id).answered_at is None


def test_without_support_ticked_the_refusal_is_as_before(running: RunningApp) -> None:
    posted, view = open_support_form(running)
    tapped_meanwhile(running, posted)

    told = send(running, view, support=False)

    assert "You have already answered this check-in — thank you. Nothing was changed." in told
    assert outbox(running) == []


def test_support_asked_in_the_answer_that_stands_is_not_asked_again(running: RunningApp) -> None:
    posted, view = open_support_form(running)
    submit(running, view)  # the answer, with its request for support: both kept
    [first] = outbox(running)

    told = send(running, view)  # the same form again (another device, a second press)

    assert "You had already answered this check-in, and that first answer stands." in told
    assert "You asked for support in that first answer, so it was not asked again." in told
    assert [row.id for row in outbox(running)] == [first.id]
    assert stored(running, posted.checkin_id).rating == 1
