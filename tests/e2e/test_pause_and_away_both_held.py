"""A pause and time away through the real HTTP app: ending one while the other stands never says
check-ins carry on (to the person or their partner), mixing up `back` and `resume` points to the other,
and a real day in words `/circles away` cannot read gets the usual help, not "not a day on the calendar"."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_away import command


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    coaching_pair(running, reachable_coach=True)
    return running


def test_back_while_still_paused_says_the_pause_holds_and_the_partner_hears_nothing(app: RunningApp) -> None:
    assert "Paused until you type" in command(app, "pause", "U0LEARN")
    assert "You're away until" in command(app, "away 2 weeks", "U0LEARN")
    app.standin.wait_for(
        "chat.postMessage", timeout=10, predicate=lambda c: "is away until" in str(c.args.get("text"))
    )

    answer = command(app, "back", "U0LEARN")
    app.settled()

    assert "carry on" not in answer
    assert "/circles resume" in answer
    said = [str(c.args.get("text")) for c in app.standin.calls("chat.postMessage")]
    assert not any("is back" in s for s in said), said


def test_resume_while_still_away_names_the_day_back(app: RunningApp) -> None:
    command(app, "pause", "U0LEARN")
    command(app, "away 2 weeks", "U0LEARN")

    answer = command(app, "resume", "U0LEARN")

    assert "`pgy1`" in answer
    assert "when you're back on" in answer
    assert "/circles back" in answer


def test_back_and_resume_mixed_up_point_to_each_other(app: RunningApp) -> None:
    command(app, "pause", "U0COACH")
    assert "/circles resume" in command(app, "back", "U0COACH")
    command(app, "away 2 weeks", "U0LEARN")
    assert "/circles back" in command(app, "resume", "U0LEARN")


@pytest.mark.parametrize(
    "text",
    ["away until 2027-02-01 2027-03-01", "away 2 weeks until 2027-02-01", "away until until 2027-02-01"],
)
def test_a_real_day_in_words_away_cannot_read_gets_the_usual_help(app: RunningApp, text: str) -> None:
    answer = command(app, text, "U0LEARN")

    assert "is not a day on the calendar" not in answer
    assert "until YYYY-MM-DD" in answer
