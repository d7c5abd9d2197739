"""A circle's private conversation after its round is created: who stays in it, over HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MeetingPlace, PairingMode
from circles.persistence.models import Circle, CircleMembership, Member
from tests.e2e.conftest import RunningApp
from tests.e2e.test_matching import NINE, command, seed, until_done


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app(sending=True)


def channel_of(app: RunningApp, user: str) -> str:
    with app.db.unit_of_work() as uow:
        found = uow.session.scalar(
            select(Circle.conversation_id)
            .join(CircleMembership, CircleMembership.circle_id == Circle.id)
            .join(Member, Member.id == CircleMembership.member_id)
            .where(Member.slack_user_id == user)
        )
    assert found is not None
    return found


def test_a_member_who_leaves_is_removed_from_their_circles_private_channel(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    command(app, "match pgy1")
    until_done(app)
    channel = channel_of(app, "U0P4")
    assert "U0P4" in app.standin.workspace.channels[channel].members

    app.post(app.signer.slash_command("leave pgy1", user_id="U0P4"))
    app.standin.wait_for("conversations.kick", timeout=10)

    members = app.standin.workspace.channels[channel].members
    assert "U0P4" not in members
    assert len([m for m in members if m.startswith("U0P")]) == 2  # the two who stay
