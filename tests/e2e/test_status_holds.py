"""`/circles status` through the real HTTP app names the check-in the planner will send: while a coach is
away, the learner's comes once they are back, and says no more than that of why."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from circles.persistence.models import AwayBlock
from tests.e2e.conftest import RunningApp, coaching_pair

CHECKIN = re.compile(r"Next check-in: <!date\^(\d+)\^[^>]*>(.*)")


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    coaching_pair(running)
    return running


def say(app: RunningApp, text: str, user: str) -> str:
    """Type `/circles <text>`; the words of the private answer's sections (not its buttons)."""
    app.standin.clear()
    status, body = app.post(app.signer.slash_command(text, user_id=user))
    assert (status, body) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    sections = [b["text"]["text"] for b in answer.args.get("blocks") or [] if b["type"] == "section"]
    return "\n".join(sections) or str(answer.args["text"])


def next_checkin(shown: str) -> tuple[datetime, str]:
    """The next check-in's instant, and what follows it on its line."""
    found = CHECKIN.search(shown)
    assert found, shown
    return datetime.fromtimestamp(int(found[1]), UTC), found[2]


def test_a_learner_whose_coach_is_away_sees_their_check_in_once_the_coach_is_back(app: RunningApp) -> None:
    before, _ = next_checkin(say(app, "status", "U0LEARN"))
    assert "You're away until" in say(app, "away 3 weeks", "U0COACH")
    with app.db.unit_of_work() as uow:
        [block] = uow.session.scalars(select(AwayBlock))
        back = block.ends_at
    shown = say(app, "status", "U0LEARN")
    at, why = next_checkin(shown)
    assert at >= back > before
    assert why == ", once your partner is back"
    assert not any(word in shown.lower() for word in ("away", "rotation", "leave"))
    assert "once you are back" in say(app, "status", "U0COACH")  # their own reason is theirs to read

    assert "Welcome back" in say(app, "back", "U0COACH")
    assert next_checkin(say(app, "status", "U0LEARN")) == (before, "")
