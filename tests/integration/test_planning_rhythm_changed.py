"""A cohort's check-in rhythm changed mid-programme, on SQLite and PostgreSQL: each pair's conversation
starters and each coach's session ideas carry on through the track from where they were, with no starter
or idea sent twice and none skipped, whichever way the rhythm changed and however often."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.planning import plan
from prompts.tracks import track
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE

ADMIN = "U0ADMIN"
FIRST_MONDAY = date(2026, 3, 2)  # the cohort's start: New York, Mondays 9:00
PAIRS = [p.id for p in track("default").for_audience("pair")]
IDEAS = [p.id for p in track("default").for_audience("coach")]


@dataclass(frozen=True)
class People:
    coach: int
    learner: int
    pair: int


def cohort(db: Database, every_weeks: int) -> People:
    """A New York cohort meeting Mondays at 9:00 from 2 March 2026; a coach and a learner in London paired
    long before."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session), checkin_every_weeks=every_weeks)
        coach = world.member(uow.session, co, "U0COACH", Role.COACH)
        learner = world.member(uow.session, co, "U0LEARN", timezone="Europe/London")
        pair = world.pair(uow.session, coach, learner)
        uow.commit()
        return People(coach.id, learner.id, pair.id)


def paired_later(db: Database, coach: str, learner: str, started_at: datetime) -> People:
    """Another pair of the cohort, begun at `started_at` (a coach already guiding, or a new one)."""
    with db.unit_of_work() as uow:
        co = uow.session.scalars(select(Cohort)).one()
        guide = uow.session.scalars(select(Member).where(Member.slack_user_id == coach)).one_or_none()
        guide = guide or world.member(uow.session, co, coach, Role.COACH)
        new = world.member(uow.session, co, learner)
        pair = world.pair(uow.session, guide, new, conversation_id=f"G{learner}", started_at=started_at)
        uow.commit()
        return People(guide.id, new.id, pair.id)


def rhythm_saved(db: Database, every_weeks: int, now: datetime) -> None:
    """A facilitator saves the cohort's settings with check-ins every `every_weeks` weeks."""
    form = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id=ADMIN, is_admin=True)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        form.settings.with_changes(checkin_every_weeks=every_weeks),
        form.facilitators or ["U0FAC"],
        user_id=ADMIN,
        is_admin=True,
        now=now,
        opened_as=form.digest,
    )


def run(db: Database, until: date, changes: dict[date, int], *, since: date = FIRST_MONDAY) -> None:
    """A planning pass every day at 14:30 UTC from `since` to `until`; on a day of `changes`, the rhythm
    is changed at 12:00 UTC first."""
    day = since
    while day <= until:
        if day in changes:
            rhythm_saved(db, changes[day], datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
        with db.unit_of_work() as uow:
            plan(uow.session, datetime(day.year, day.month, day.day, 14, 30, tzinfo=UTC), grace=GRACE)
            uow.commit()
        day += timedelta(days=1)


def sent(db: Database, template: str, target: int | str) -> list[tuple[str, str]]:
    """(day, prompt) of each message of a kind to be sent for one pair or coach, by day."""
    prefix = f"{template}:{target}:"
    with db.unit_of_work() as uow:
        rows = [
            r
            for r in world.outbox(uow.session)
            if r.idempotency_key.startswith(prefix) and r.status == "pending"
        ]
        found = [(r.idempotency_key.rsplit(":", 1)[1], r.payload["args"]["prompt_id"]) for r in rows]
        return sorted(found)


def in_turn(track_ids: list[str], days: list[str], first: int) -> list[tuple[str, str]]:
    """The track's prompts in order from the `first`, one for each day."""
    return [(day, track_ids[(first + n) % len(track_ids)]) for n, day in enumerate(days)]


MARCH = ["2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]  # the weekly check-ins before a change
CHANGES = {
    "weekly, then every two weeks": (
        1,
        {date(2026, 3, 31): 2},
        [*MARCH, "2026-04-13", "2026-04-27"],
    ),
    "every two weeks, then weekly": (
        2,
        {date(2026, 3, 31): 1},
        ["2026-03-16", "2026-03-30", "2026-04-06", "2026-04-13", "2026-04-20", "2026-04-27", "2026-05-04"],
    ),
    "weekly, every two weeks, then every three": (
        1,
        {date(2026, 3, 31): 2, date(2026, 4, 14): 3},
        [*MARCH, "2026-04-13", "2026-05-04"],
    ),
    # Its cycle from 16 March had its check-in on the 23rd: the 16th is not sent after the change.
    "every three weeks, then every two": (
        3,
        {date(2026, 3, 24): 2},
        ["2026-03-23", "2026-03-30", "2026-04-13", "2026-04-27"],
    ),
    # Back to weekly in a week the two-weekly rhythm had no check-in: that Monday's comes at once.
    "weekly, every two weeks, then weekly again": (
        1,
        {date(2026, 3, 31): 2, date(2026, 4, 21): 1},
        [*MARCH, "2026-04-13", "2026-04-20", "2026-04-27", "2026-05-04"],
    ),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_starters_and_session_ideas_carry_on_through_the_track_when_the_rhythm_changes(
    db: Database, change: str
) -> None:
    every, changes, days = CHANGES[change]
    people = cohort(db, every)

    run(db, date(2026, 5, 4), changes)

    # The kickoff carried the track's first starter; each check-in day brings the next one.
    assert sent(db, "pair_prompt", people.pair) == in_turn(PAIRS, days, 1)
    assert sent(db, "coach_idea", people.coach) == in_turn(IDEAS, days, 0)


def test_a_pair_begun_after_the_change_starts_at_the_top_and_its_coach_carries_on(db: Database) -> None:
    people = cohort(db, 1)
    run(db, date(2026, 4, 1), {date(2026, 3, 31): 2})
    # Week of 6 April: the coach takes a second learner, and a new coach their first.
    later = datetime(2026, 4, 7, 12, tzinfo=UTC)
    second = paired_later(db, "U0COACH", "U0LEARN2", later)
    newcomer = paired_later(db, "U0COACH2", "U0LEARN3", later)

    run(db, date(2026, 5, 11), {}, since=date(2026, 4, 2))

    after = ["2026-04-13", "2026-04-27", "2026-05-11"]
    assert sent(db, "pair_prompt", second.pair) == in_turn(PAIRS, after, 1)
    assert sent(db, "pair_prompt", newcomer.pair) == in_turn(PAIRS, after, 1)
    assert sent(db, "coach_idea", newcomer.coach) == in_turn(IDEAS, after, 0)
    # One idea a check-in day however many learners, running on from their first pair's start.
    assert sent(db, "coach_idea", people.coach) == in_turn(IDEAS, MARCH + after, 0)
    assert sent(db, "pair_prompt", people.pair) == in_turn(PAIRS, MARCH + after, 1)
