"""Planning on SQLite and PostgreSQL for pairs formed after the cohort began: each pair's starters come from
the top of the track, and a coach's session ideas run on from their first pair still running (a paused one
too), never from one that ended."""

from __future__ import annotations

from datetime import timedelta

from circles.domain.vocabulary import PartnershipStatus, Role
from circles.persistence.db import Database
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc

FORMED = utc(2026, 4, 15, 15)  # the Wednesday of week 7 of a cohort begun on 2 March, check-ins weekly

PEOPLE = {
    **{coach: Role.COACH for coach in ("U0PAUSED", "U0ENDED", "U0NEW")},
    **{f"U0OLD{n}": Role.LEARNER for n in range(2)},
    **{f"U0L{n}": Role.LEARNER for n in range(3)},
}


def later_pairs(db: Database) -> None:
    """Three coaches, each with a learner since week 7: one had a pair since long ago, now paused; one
    had one that ended; one is new."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session))
        people = {user: world.member(uow.session, co, user, role) for user, role in PEOPLE.items()}
        earlier = {"U0PAUSED": PartnershipStatus.PAUSED, "U0ENDED": PartnershipStatus.ENDED}
        for n, (coach, status) in enumerate(earlier.items()):
            world.pair(uow.session, people[coach], people[f"U0OLD{n}"], status=status, conversation_id=None)
        for n, coach in enumerate(("U0PAUSED", "U0ENDED", "U0NEW")):
            learner = people[f"U0L{n}"]
            world.pair(uow.session, people[coach], learner, conversation_id=f"G0{coach}", started_at=FORMED)
        uow.commit()


def themes(db: Database, template: str, channel: str) -> list[str]:
    """The themes planned for one conversation or person after the pairs were formed, in order."""
    with db.unit_of_work() as uow:
        rows = world.outbox(uow.session)
    return [
        r.payload["args"]["theme"]
        for r in rows
        if r.payload["template"] == template and r.channel == channel and r.due_at > FORMED
    ]


def planned_for_three_weeks(db: Database) -> None:
    with db.unit_of_work() as uow:
        plan(uow.session, FORMED + timedelta(hours=1), grace=GRACE, horizon=timedelta(weeks=3))
        uow.commit()


def test_pairs_formed_in_week_7_get_their_starters_from_the_one_after_the_kickoffs(db: Database) -> None:
    later_pairs(db)

    planned_for_three_weeks(db)

    starters = ["Sharing lived experience", "Learning from a hard moment", "How this partnership is going"]
    for coach in ("U0PAUSED", "U0ENDED", "U0NEW"):
        assert themes(db, "pair_prompt", f"G0{coach}") == starters


def test_a_coachs_ideas_run_on_from_their_first_running_pair_and_start_afresh_without_one(
    db: Database,
) -> None:
    later_pairs(db)

    planned_for_three_weeks(db)

    fresh = ["Building trust", "Their agenda first", "Listening to understand"]
    assert themes(db, "coach_idea", "U0NEW") == fresh
    assert themes(db, "coach_idea", "U0ENDED") == fresh  # an ended pair is over: nothing to run on from
    # Coaching since long before the cohort began: week 8 is their seventh check-in day, as for round 1.
    assert themes(db, "coach_idea", "U0PAUSED") == ["Repairing after conflict", "Gratitude", "Building trust"]
