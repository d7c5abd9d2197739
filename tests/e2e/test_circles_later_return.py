"""Someone who left their circle's cohort and came back, over HTTP: leaving took them out of the circle's
private channel, and a newcomer joining that circle later does not bring them back into it, nor does
`/circles status` show it as theirs."""

from __future__ import annotations

import json

from sqlalchemy import select

from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.models import Circle, CircleMembership, Member
from tests.e2e.conftest import RunningApp
from tests.e2e.test_circle_conversations import channel_of
from tests.e2e.test_cohorts import say, shown
from tests.e2e.test_matching import NINE, command, seed
from tests.e2e.test_rematch import app, confirmed, done, newcomer

__all__ = ["app"]  # the fixture: an app that sends, as the re-match tests'

ANN = "U0P4"


def test_a_newcomer_joining_the_circle_does_not_bring_back_someone_who_left_it(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)  # three full circles
    command(app, "match pgy1")
    done(app)
    channel = channel_of(app, ANN)
    app.standin.clear()
    say(app, "leave pgy1", ANN)
    app.standin.wait_for("conversations.kick", timeout=10)
    say(app, "join pgy1", ANN)  # back in the cohort, not in the circle leaving took them out of
    assert "circle-pgy1" not in shown(say(app, "status", ANN))

    newcomer(app, "U0NEW", Role.PEER)
    preview = command(app, "match pgy1 <@U0NEW|new> preview")  # the only circle with room: Ann's old one
    confirmed(app, preview)

    members = app.standin.workspace.channels[channel].members
    assert "U0NEW" in members
    assert ANN not in members
    [kickoff] = [c for c in app.standin.calls("chat.postMessage") if c.args.get("channel") == channel]
    assert f"<@{ANN}>" not in json.dumps(kickoff.args)
    with app.db.unit_of_work() as uow:
        seated = uow.session.scalars(
            select(Member.slack_user_id)
            .join(CircleMembership, CircleMembership.member_id == Member.id)
            .join(Circle, Circle.id == CircleMembership.circle_id)
            .where(Circle.conversation_id == channel)
        ).all()
    assert "U0NEW" in seated
