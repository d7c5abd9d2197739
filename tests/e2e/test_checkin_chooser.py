"""`/circles checkin` by a coach with several learners, through the real endpoint: the choice opens no
check-in; the pair pressed gets one, its form opens and its answer lands; the other pairs stay unasked."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot import ids
from circles.persistence.models import CheckIn
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkin_forms_shapes import submit_form
from tests.e2e.test_checkin_many_partnerships import chooser as the_choice
from tests.e2e.test_checkin_many_partnerships import click_from_chooser as press
from tests.e2e.test_checkin_many_partnerships import programme
from tests.e2e.test_checkins import form_values, shown


def form_opened(running: RunningApp) -> dict[str, Any]:
    [opened] = running.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "1.2.chosen"
    running.standin.clear()
    view: dict[str, Any] = opened.args["view"]
    return view


def checkins_by_pair(running: RunningApp) -> dict[int, list[tuple[int, int | None]]]:
    """Every check-in, as (its id, its rating) by partnership."""
    found: dict[int, list[tuple[int, int | None]]] = {}
    with running.db.reading() as reading:
        for row in reading.session.scalars(select(CheckIn).order_by(CheckIn.id)):
            found.setdefault(row.partnership_id, []).append((row.id, row.rating))
    return found


def test_the_choice_opens_nothing_and_the_pair_pressed_gets_its_check_in_form_and_answer(
    running: RunningApp,
) -> None:
    pairs = programme(running)  # Ada coaches Lee and Ola (and three pairs no longer running)

    offered = the_choice(running, "U0ADA")

    assert offered == {
        "U0LEE": (ids.CHECKIN_START, str(pairs["U0LEE"])),
        "U0OLA": (ids.CHECKIN_START, str(pairs["U0OLA"])),
    }
    assert checkins_by_pair(running) == {}  # offering a choice asks nothing of anyone

    press(running, "U0ADA", offered["U0LEE"])
    view = form_opened(running)
    assert "<@U0LEE>" in shown(view)
    assert "<@U0OLA>" not in shown(view)
    checkin_id = json.loads(view["private_metadata"])["checkin"]
    assert checkins_by_pair(running) == {pairs["U0LEE"]: [(checkin_id, None)]}

    # Asked again before answering, the choice offers the check-in now waiting, as it is.
    again = the_choice(running, "U0ADA")
    assert again == {**offered, "U0LEE": (ids.CHECKIN_OPEN, str(checkin_id))}
    press(running, "U0ADA", again["U0LEE"])
    assert json.loads(form_opened(running)["private_metadata"])["checkin"] == checkin_id

    submit_form(running, checkin_id, form_values("5", "yes", None, False, False), user_id="U0ADA")
    [confirmed] = running.standin.wait_for("chat.postMessage")
    assert confirmed.args["channel"] == "U0ADA"
    assert "answered, thank you" in shown(confirmed)
    running.settled()
    assert checkins_by_pair(running) == {pairs["U0LEE"]: [(checkin_id, 5)]}  # Ola's pair: still unasked


def test_a_choice_naming_a_pair_not_the_pressers_is_refused_and_opens_nothing(running: RunningApp) -> None:
    pairs = programme(running)
    press(running, "U0ADA", (ids.CHECKIN_START, str(pairs["U0MO"])))  # Mo mentors Lee: not Ada's pair
    [refused] = running.standin.wait_for("response_url")
    assert refused.args["response_type"] == "ephemeral"
    assert "I can't open that check-in for you" in shown(refused)
    running.settled()
    assert running.standin.calls("views.open") == []
    assert checkins_by_pair(running) == {}
