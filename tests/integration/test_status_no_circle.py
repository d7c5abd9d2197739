"""`/circles status` and Home give no prompt date to someone in no circle of their cohort's latest round:
prompts go into circles, so none would come. They are told instead that prompts start once their
facilitators place them in a circle; whoever is seated keeps the date the planner really sends.

A New York cohort, Mondays 9:00 (14:00 UTC in December); now is Wednesday 2 December. Ann, Ben and Cat
were placed in a circle; Lee joined after that round.
"""

from __future__ import annotations

from bot.views.membership import when
from circles.domain.planning.ahead import Hold
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.people.status import my_status
from tests.databases import counted
from tests.integration import planning_world as world
from tests.integration.test_status_holds import NOW, PROMPT, planned, status

PLACED = ("U0ANN", "U0BEN", "U0CAT")
LATE = "U0LEE"
TO_COME = "Prompts start once your facilitators place you in a circle."


def seed(db: Database, *, left_out_of_round_two: bool = False) -> None:
    """The cohort above; with `left_out_of_round_two`, Lee sat in round 1's circle and round 2 has begun
    without them."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session))
        placed = [world.member(uow.session, co, user, Role.PEER) for user in PLACED]
        late = world.member(uow.session, co, LATE, Role.PEER)
        if left_out_of_round_two:
            world.circle(uow.session, co, [*placed, late], "C0ROUND1")
            world.circle(uow.session, co, placed, "C0ROUND2", round_number=2)
        else:
            world.circle(uow.session, co, placed)
        uow.commit()


def is_prompt(key: str) -> bool:
    return key.startswith("circle_prompt:")


def test_someone_in_no_circle_is_told_prompts_start_once_they_are_placed_in_one_and_no_date(
    db: Database,
) -> None:
    seed(db)
    late, shown = status(db, LATE)
    assert "Circle: none yet" in shown
    assert when(PROMPT[7]) not in shown
    assert TO_COME in shown
    assert (late.circles, late.next_prompt, late.prompt_held) == ((), None, Hold.NO_CIRCLE)
    placed, placed_shown = status(db, "U0ANN")
    assert (placed.next_prompt, placed.prompt_held) == (PROMPT[7], None)
    assert f"Next prompt: {when(PROMPT[7])}\n" in placed_shown
    assert TO_COME not in placed_shown
    # What the planner writes agrees: the circle's prompt, and only in its conversation.
    assert planned(db, "circle_prompt:") == PROMPT[7]
    with db.reading() as reading:
        prompted = {row.channel for row in world.outbox(reading.session) if is_prompt(row.idempotency_key)}
    assert prompted == {"C0CIRCLE1"}


def test_someone_left_out_of_the_latest_round_has_no_prompt_date_from_an_earlier_round_s_circle(
    db: Database,
) -> None:
    seed(db, left_out_of_round_two=True)
    late, shown = status(db, LATE)
    assert "Circle: none yet" in shown  # round 1's circle is over
    assert "Next prompt: <!date" not in shown
    assert TO_COME in shown
    assert (late.next_prompt, late.prompt_held) == (None, Hold.NO_CIRCLE)
    planned(db, "circle_prompt:")
    with db.reading() as reading:
        prompted = {row.channel for row in world.outbox(reading.session) if is_prompt(row.idempotency_key)}
    assert prompted == {"C0ROUND2"}  # the earlier round's circle, where Lee sat, gets no more


def test_status_asks_as_many_questions_of_someone_in_no_circle_as_of_someone_in_one(db: Database) -> None:
    seed(db)
    asked = {}
    for user in ("U0ANN", LATE):
        with counted(db) as seen:
            my_status(db.reading(), "T0001", user, NOW)
        asked[user] = len([s for s in seen if not s.startswith("PRAGMA")])  # SQLite's, once a connection
    assert asked["U0ANN"] == asked[LATE]
