"""A circle's prompts once its members have gone, on SQLite and PostgreSQL: someone who left the circle and
came back to the cohort is no longer in it (leaving took them out), so a circle everyone else left gets no
prompts, and they get no catch-up of its prompts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.availability import AbsenceKind
from circles.domain.vocabulary import MeetingPlace, Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock
from circles.services.people.membership import join, leave
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE

MONDAY = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)  # 9:00 in New York is 13:00 UTC that day
DAY, WEEK = timedelta(days=1), timedelta(days=7)


def circle_of_three(db: Database) -> int:
    """Ann, Bo and Cy meet in C0X from long ago; Ann leaves and comes back to the cohort a day later."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session))
        co.meeting_place = MeetingPlace.PRIVATE_CHANNEL
        people = [world.member(uow.session, co, u, Role.PEER) for u in ("U0ANN", "U0BO", "U0CY")]
        circle_id = world.circle(uow.session, co, people, "C0X").id
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", MONDAY - 6 * DAY)
    join(db.unit_of_work(), "T0001", "pgy1", "U0ANN", Role.PEER, MONDAY - 5 * DAY)
    return circle_id


def planned_keys(db: Database, now: datetime) -> list[str]:
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE, look_back=GRACE)
        uow.commit()
        return world.keys(uow.session)


def test_a_circle_everyone_left_gets_no_prompt_though_one_of_them_came_back_to_the_cohort(
    db: Database,
) -> None:
    circle_id = circle_of_three(db)
    for user in ("U0BO", "U0CY"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY - 4 * DAY)

    keys = planned_keys(db, MONDAY)

    assert f"circle_prompt:{circle_id}:2026-03-09" not in keys


def test_someone_back_after_leaving_gets_no_catch_up_of_the_circle_they_were_taken_out_of(
    db: Database,
) -> None:
    circle_id = circle_of_three(db)
    with db.unit_of_work() as uow:  # Ann is away over the next prompt, back the day after
        uow.session.add(
            AwayBlock(
                workspace_id=1,
                slack_user_id="U0ANN",
                kind=AbsenceKind.AWAY,
                starts_at=MONDAY - DAY,
                ends_at=MONDAY + DAY,
                created_by="U0ANN",
                created_at=MONDAY - 2 * DAY,
            )
        )
        uow.commit()

    planned_keys(db, MONDAY)
    keys = planned_keys(db, MONDAY + DAY)

    assert f"circle_prompt:{circle_id}:2026-03-09" in keys  # Bo and Cy still meet there
    assert not [key for key in keys if key.startswith("circle_prompt_catch_up:")]
