"""The directory's pages when it changes between two presses of "Next →": nobody is passed over, through
the real HTTP app and the stand-in; page buttons drawn before, or forged, still show a page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update

from bot import ids
from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.models import Cohort, Member, Profile
from tests.e2e.conftest import RunningApp
from tests.e2e.test_directory_at_scale import requestable
from tests.e2e.test_profiles_directory import click, seed

COACHES = {f"U0C{n:03d}": Role.COACH for n in range(81)}  # three pages of forty: 40, 40 and 1
SLUG = "pgy1-spring"


def seeded(running: RunningApp) -> None:
    """A learner and 81 coaches with the same room, listed by name, in a cohort pairing learners with them."""
    seed(running, U0LEARN=Role.LEARNER, **COACHES)
    with running.db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(pairing_mode=PairingMode.COACH_LEARNER))
        uow.commit()


def opened(running: RunningApp) -> dict[str, Any]:
    """The directory as Home opens it: the modal the stand-in holds, with its id."""
    running.standin.clear()
    click(running, ids.HOME_OPEN_DIRECTORY, "U0LEARN", "", trigger_id="1.2.list", view={"type": "home"})
    [call] = running.standin.wait_for("views.open")
    view: dict[str, Any] = call.response["view"]
    return view


def press(running: RunningApp, view: dict[str, Any], name: str, **forged: str) -> dict[str, Any]:
    """Press a page button of the modal as Slack sends it, with its block's id (or `forged` fields)."""
    [(block, button)] = [
        (block, element)
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == f"{ids.DIRECTORY_PAGE}:{name}"
    ]
    sent = {"action_id": button["action_id"], "value": button["value"], "block_id": block["block_id"]}
    sent.update(forged)
    running.standin.clear()
    click(running, sent.pop("action_id"), "U0LEARN", sent.pop("value"), view=view, **sent)
    [call] = running.standin.wait_for("views.update")
    assert running.standin.calls("chat.postMessage") == []  # nothing went wrong, so nothing is said
    turned: dict[str, Any] = call.response["view"]
    return turned


def leaves(running: RunningApp, user_id: str) -> None:
    with running.db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one()
        member.status = MemberStatus.LEFT
        uow.commit()


def every_page(running: RunningApp, first: dict[str, Any]) -> list[str]:
    """Everyone shown from the first page on, pressing Next until there is none."""
    pages, seen = [first], list(requestable(first["blocks"]))
    while f'"{ids.DIRECTORY_PAGE}:next"' in json.dumps(pages[-1]) and len(pages) < 10:
        pages.append(press(running, pages[-1], "next"))
        seen += requestable(pages[-1]["blocks"])
    return seen


def test_someone_on_the_first_page_leaving_before_next_is_pressed_passes_nobody_over(
    running: RunningApp,
) -> None:
    seeded(running)
    first = opened(running)
    assert requestable(first["blocks"]) == [f"U0C{n:03d}" for n in range(40)]
    leaves(running, "U0C000")  # everyone after them moves up one place
    second = press(running, first, "next")
    assert requestable(second["blocks"])[0] == "U0C040"
    seen = set(requestable(first["blocks"]) + every_page(running, second))
    assert seen == set(COACHES)


def test_the_last_person_of_a_page_filling_up_before_next_is_pressed_passes_nobody_over(
    running: RunningApp,
) -> None:
    seeded(running)
    first = opened(running)
    with running.db.unit_of_work() as uow:  # the fortieth takes nobody more for now: listed last now
        uow.session.execute(update(Profile).where(Profile.slack_user_id == "U0C039").values(capacity=0))
        uow.commit()
    second = press(running, first, "next")
    assert requestable(second["blocks"])[0] == "U0C040"
    assert "U0C039" not in requestable(second["blocks"])  # full: no button, and at the end of the list


def test_a_page_button_drawn_before_buttons_named_their_page_turns_by_its_page_number(
    running: RunningApp,
) -> None:
    seeded(running)
    first = opened(running)
    second = press(running, first, "next", block_id=ids.DIRECTORY_PAGES_BLOCK)  # as an older modal has it
    assert "Page 2 of 3: 41–80 of 81." in json.dumps(second, ensure_ascii=False)
    assert requestable(second["blocks"]) == [f"U0C{n:03d}" for n in range(40, 80)]


@pytest.mark.parametrize(
    ("forged", "first_shown"),
    [
        ({"block_id": f"{ids.DIRECTORY_PAGES_BLOCK}:U0C000:{SLUG}|U0C009:{SLUG}"}, "U0C010"),  # just after
        ({"block_id": f"{ids.DIRECTORY_PAGES_BLOCK}:nobody|U0NOBODY:{SLUG}"}, "U0C040"),
        ({"block_id": f"{ids.DIRECTORY_PAGES_BLOCK}:{'|' * 300}"}, "U0C040"),
        ({"block_id": f"{ids.DIRECTORY_PAGES_BLOCK}:U0C080:{SLUG}|U0C000:{SLUG}"}, "U0C001"),
        ({"action_id": f"{ids.DIRECTORY_PAGE}:sideways"}, "U0C000"),
        ({"value": "topic:999999"}, "U0C040"),  # right after the last shown all the same
        ({"value": "topic:999999", "block_id": "actions"}, "U0C080"),  # the last page there is
    ],
)
def test_a_forged_page_button_shows_a_page_of_the_presser_s_own_directory(
    running: RunningApp, forged: dict[str, str], first_shown: str
) -> None:
    seeded(running)
    first = opened(running)
    turned = press(running, first, "next", **forged)
    assert requestable(turned["blocks"])[0] == first_shown
    assert set(requestable(turned["blocks"])) <= set(COACHES)
