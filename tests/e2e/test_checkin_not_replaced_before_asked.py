"""Through the real HTTP endpoint: the check-in question in someone's DM takes their rating while the next
check-in is only written ahead (the planner writes it up to an hour before it is due), and `/circles checkin`
opens that question, not the next one, until the next one's question has gone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot import ids
from circles.persistence.models import CheckIn
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkins import click, has_buttons, post_checkin, seed, shown, stored


def next_written_ahead(running: RunningApp, checkin_id: int) -> int:
    """The next check-in of the same person and pair, due in half an hour: written, not asked yet."""
    with running.db.unit_of_work() as uow:
        old = uow.session.get_one(CheckIn, checkin_id)
        row = CheckIn(
            workspace_id=old.workspace_id,
            partnership_id=old.partnership_id,
            member_id=old.member_id,
            due_at=datetime.now(UTC) + timedelta(minutes=30),
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def test_a_rating_tapped_while_the_next_check_in_is_only_written_ahead_is_stored(running: RunningApp) -> None:
    posted = post_checkin(running, seed(running))
    upcoming = next_written_ahead(running, posted.checkin_id)

    click(running, posted, f"{ids.CHECKIN_RATE}_4", f"{posted.checkin_id}:4")
    running.standin.wait_for("chat.update")
    [now_shown] = running.standin.messages(posted.channel)
    assert not has_buttons(now_shown)
    assert "answered, thank you" in shown(now_shown)
    assert "Check-in closed" not in shown(now_shown)
    assert stored(running, posted.checkin_id).rating == 4
    assert stored(running, upcoming).answered_at is None


def test_checkin_opens_the_question_held_not_the_one_written_ahead(running: RunningApp) -> None:
    checkin_id = seed(running)
    next_written_ahead(running, checkin_id)
    running.post(running.signer.slash_command("checkin", user_id="U0LEE", trigger_id="1.2.checkin"))
    [opened] = running.standin.wait_for("views.open")
    assert json.loads(opened.args["view"]["private_metadata"])["checkin"] == checkin_id
