"""`/circles status` and Home give no prompt date to the one person left in a circle whose others all left
the cohort: its prompts stopped (the planner skips a circle down to one, and that person was told so), so
none would come. They are told instead what starts them again, as the notice they got said; everyone in a
circle that still meets keeps the date the planner really sends.

A New York cohort, Mondays 9:00 (14:00 UTC in December); now is Wednesday 2 December. Ann and Ben share a
circle, Cat, Dan and Eve another; Ben leaves the cohort.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.views.membership import when
from circles.domain.planning.ahead import Hold
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort
from circles.queries.circles import seat_again
from circles.services.people.membership import leave
from circles.services.people.status import my_status
from tests import factories
from tests.databases import counted
from tests.integration import planning_world as world
from tests.integration.test_status_holds import NOW, PROMPT, planned, status

ALONE = "No prompts come now: nobody else is left in your circle."
AGAIN = (
    "They start again once someone new is seated beside you, or the next round gives everyone a new circle."
)


def seed(db: Database) -> None:
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session))
        factories.facilitator(uow.session, co, "U0FAC")
        two = [world.member(uow.session, co, user, Role.PEER) for user in ("U0ANN", "U0BEN")]
        three = [world.member(uow.session, co, user, Role.PEER) for user in ("U0CAT", "U0DAN", "U0EVE")]
        world.circle(uow.session, co, two, "C0TWO")
        world.circle(uow.session, co, three, "C0THREE")
        uow.commit()


def prompted(db: Database) -> set[str]:
    with db.reading() as reading:
        rows = world.outbox(reading.session)
        return {str(row.channel) for row in rows if row.idempotency_key.startswith("circle_prompt:")}


def test_the_one_left_in_a_circle_is_promised_no_prompt_and_told_what_starts_them_again(db: Database) -> None:
    seed(db)
    ann, shown = status(db, "U0ANN")
    assert f"Next prompt: {when(PROMPT[7])}" in shown  # two still meet
    leave(db.unit_of_work(), "T0001", None, "U0BEN", NOW)

    with db.reading() as reading:
        told = [
            row.channel
            for row in world.outbox(reading.session)
            if row.payload.get("template") == "circle_alone"
        ]
    assert told == ["U0ANN"]  # told its prompts stopped
    ann, shown = status(db, "U0ANN")
    assert "Next prompt: <!date" not in shown
    assert f"{ALONE} {AGAIN}" in shown
    assert (ann.next_prompt, ann.prompt_held) == (None, Hold.ALONE)
    assert [c.name for c in ann.circles] == ["circle-pgy1-1"]  # still seated in it
    cat, cat_shown = status(db, "U0CAT")
    assert (cat.next_prompt, cat.prompt_held) == (PROMPT[7], None)
    assert f"Next prompt: {when(PROMPT[7])}" in cat_shown
    assert ALONE not in cat_shown
    # What the planner writes agrees: prompts only for the circle that still meets.
    assert planned(db, "circle_prompt:") == PROMPT[7]
    assert prompted(db) == {"C0THREE"}


def test_someone_seated_beside_the_one_left_brings_back_the_prompt_date(db: Database) -> None:
    seed(db)
    leave(db.unit_of_work(), "T0001", None, "U0BEN", NOW)
    with db.unit_of_work() as uow:
        co = uow.session.scalars(select(Cohort)).one()
        circle = uow.session.scalars(select(Circle).where(Circle.conversation_id == "C0TWO")).one()
        fay = world.member(uow.session, co, "U0FAY", Role.PEER)
        seat_again(uow.session, co.workspace_id, circle.id, fay.id, NOW)
        uow.commit()
    ann, shown = status(db, "U0ANN")
    assert (ann.next_prompt, ann.prompt_held) == (PROMPT[7], None)
    assert f"Next prompt: {when(PROMPT[7])}" in shown
    assert ALONE not in shown
    planned(db, "circle_prompt:")
    assert prompted(db) == {"C0TWO", "C0THREE"}


def test_status_asks_as_many_questions_of_the_one_left_as_of_someone_in_a_circle_that_meets(
    db: Database,
) -> None:
    seed(db)
    leave(db.unit_of_work(), "T0001", None, "U0BEN", NOW)
    asked = {}
    for user in ("U0ANN", "U0CAT"):
        with counted(db) as seen:
            my_status(db.reading(), "T0001", user, NOW)
        asked[user] = len([s for s in seen if not s.startswith("PRAGMA")])
    assert asked["U0ANN"] == asked["U0CAT"]
