"""A cohort's time zone or prompt day, or a member's own Slack time zone, changed after that week's new day
had gone by and before its old one came: the week's messages come once, at the change, never recorded as
missed; what fell due while nothing ran is still missed. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.people.profiles.slack import SlackPerson, refresh_from_slack
from circles.services.planning import expire_overdue, plan
from circles.services.planning.replan import replan
from standin import SlackStandIn
from tests.databases import raced
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc
from tests.integration.test_planning_weekday_moved import WEEK_2, messages_of, saved_with_weekday, ticks, week
from tests.integration.test_round_steps_ended_pairs import standin
from tests.integration.test_zone_change_planned import learner_asked

__all__ = ["standin"]  # the fixture: Slack's stand-in

MONDAY, WEDNESDAY = 0, 2
CHANGED = utc(2026, 3, 16, 4)  # Monday 04:00 UTC: Sunday 21:00 in Los Angeles, Monday 17:00 in Auckland
WEEK_3 = "2026-03-16"
LOS_ANGELES, AUCKLAND = "America/Los_Angeles", "Pacific/Auckland"


def los_angeles(db: Database, learner_zone: str | None = None) -> tuple[int, int, int, int]:
    """A Los Angeles cohort, Mondays 9:00, weekly check-ins from 2 March 2026, its members without time
    zones of their own but the learner's: (circle, partnership, coach, learner) ids."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session), timezone=LOS_ANGELES, at=time(9))
        coach = world.member(uow.session, co, "U0COACH", Role.COACH)
        learner = world.member(uow.session, co, "U0LEARN", timezone=learner_zone)
        peers = [world.member(uow.session, co, f"U0PEER{i}") for i in range(3)]
        circle = world.circle(uow.session, co, [coach, learner, *peers])
        partnership = world.pair(uow.session, coach, learner)
        uow.commit()
        return circle.id, partnership.id, coach.id, learner.id


def run(
    db: Database, start: datetime, end: datetime, at: datetime, change: Callable[[datetime], None]
) -> None:
    """The scheduler every hour (every minute in a real worker: the hours of these weeks are enough to see
    what goes when): plan, send what is due, expire what is overdue; `change` at `at`, on an hour."""
    now = start
    while now < end:
        if now == at:
            change(now)
        with db.unit_of_work() as uow:
            plan(uow.session, now, grace=GRACE)
            pending = (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.due_at <= now)
            uow.session.execute(
                update(OutboxMessage).where(pending).values(status=OutboxStatus.SENT, sent_at=now)
            )
            expire_overdue(uow.session, now, GRACE)
            uow.commit()
        now += timedelta(hours=1)


def statuses(db: Database) -> dict[str, str]:
    with db.unit_of_work() as uow:
        return {row.idempotency_key: str(row.status) for row in world.outbox(uow.session)}


def test_a_cohort_moved_to_auckland_after_its_monday_there_gets_that_weeks_messages_at_once(
    db: Database,
) -> None:
    circle, pair, coach, learner = los_angeles(db)

    run(
        db,
        utc(2026, 3, 1),
        utc(2026, 3, 23),
        CHANGED,
        lambda now: saved_with_weekday(db, MONDAY, now, timezone=AUCKLAND),
    )

    status = statuses(db)
    assert [key for key, state in status.items() if state == "missed"] == []
    # Week 3 once, sent at the change (9:00 on Monday in Auckland was 8 hours before it).
    assert {key: status[key] for key in messages_of(circle, pair, coach, learner, WEEK_3)} == dict.fromkeys(
        messages_of(circle, pair, coach, learner, WEEK_3), "sent"
    )
    week_3 = tuple(f"2026-03-{day}" for day in range(16, 23))
    assert sorted(key for key in status if key.endswith(week_3)) == messages_of(
        circle, pair, coach, learner, WEEK_3
    )
    with db.unit_of_work() as uow:
        sent = {row.idempotency_key: row.sent_at for row in world.outbox(uow.session)}
        asked = [checkin.due_at for checkin in world.checkins(uow.session)]
    assert {sent[key] for key in messages_of(circle, pair, coach, learner, WEEK_3)} == {CHANGED}
    assert asked.count(CHANGED) == 2  # both partners asked then, each with a check-in to answer
    # The week after, at 9:00 in Auckland: Sunday 20:00 UTC.
    with db.unit_of_work() as uow:
        after = [row for row in world.outbox(uow.session) if row.idempotency_key.endswith("2026-03-23")]
    assert sorted(row.idempotency_key for row in after) == messages_of(
        circle, pair, coach, learner, "2026-03-23"
    )
    assert {(row.due_at, str(row.status)) for row in after} == {(utc(2026, 3, 22, 20), "sent")}


def test_a_member_whose_slack_zone_moved_to_auckland_after_their_monday_there_gets_that_check_in(
    db: Database,
) -> None:
    _, pair, coach, learner = los_angeles(db, learner_zone=LOS_ANGELES)
    person = SlackPerson(timezone=AUCKLAND, display_name=None, team_id=None)

    def moved(now: datetime) -> None:
        refresh_from_slack(db.unit_of_work(), team_id="T0001", user_id="U0LEARN", slack=person, now=now)

    run(db, utc(2026, 3, 1), utc(2026, 3, 23), CHANGED, moved)

    status = statuses(db)
    assert [key for key, state in status.items() if state == "missed"] == []
    assert status[f"checkin:{pair}:{learner}:{WEEK_3}"] == "sent"
    assert status[f"checkin:{pair}:{coach}:{WEEK_3}"] == "sent"
    assert sorted(key for key in status if key.startswith(f"checkin:{pair}:{learner}:")) == [
        f"checkin:{pair}:{learner}:2026-03-{day}" for day in ("09", "16", "23")
    ]


def test_a_prompt_day_moved_to_a_monday_gone_by_sends_that_weeks_messages_once_at_the_change(
    db: Database,
) -> None:
    _, circle, partnership, coach, learner = standard(db)  # New York, learner in London
    saved_with_weekday(db, WEDNESDAY, utc(2026, 3, 1))
    ticks(db, utc(2026, 3, 4, 14, 30))  # week 1 on Wednesday
    saved_with_weekday(
        db, MONDAY, utc(2026, 3, 10, 12)
    )  # Tuesday: week 2's Monday is over, its Wednesday to come

    ticks(db, utc(2026, 3, 10, 12), utc(2026, 3, 11, 14, 30), utc(2026, 3, 16, 14, 30))

    monday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-09")
    assert week(db, WEEK_2) == (monday, monday, 2)  # once, on Tuesday, nothing again on Wednesday


def test_a_prompt_day_moved_while_planning_runs_all_week_sends_that_weeks_messages_once(db: Database) -> None:
    _, circle, partnership, coach, learner = standard(db)
    saved_with_weekday(db, WEDNESDAY, utc(2026, 3, 1))
    changed = utc(2026, 3, 10, 12)

    run(db, utc(2026, 3, 3), utc(2026, 3, 17), changed, lambda now: saved_with_weekday(db, MONDAY, now))

    monday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-09")
    status = statuses(db)
    assert {key: status[key] for key in monday} == dict.fromkeys(monday, "sent")
    assert [key for key in status if key.endswith("2026-03-11")] == []  # not again on Wednesday
    assert [key for key, state in status.items() if state == "missed"] == []


def test_what_a_change_made_late_while_nothing_ran_after_it_is_still_missed(db: Database) -> None:
    circle, pair, coach, learner = los_angeles(db)
    run(db, utc(2026, 3, 1), CHANGED, CHANGED, lambda now: None)

    saved_with_weekday(db, MONDAY, CHANGED, timezone=AUCKLAND)
    ticks(db, utc(2026, 3, 17, 4))  # nothing ran for a day after the change

    status = statuses(db)
    assert {key: status[key] for key in messages_of(circle, pair, coach, learner, WEEK_3)} == dict.fromkeys(
        messages_of(circle, pair, coach, learner, WEEK_3), "missed"
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_zone_saved_while_another_process_plans_the_cohort_still_sends_that_weeks_messages(
    db: Database,
) -> None:
    postgres = db
    circle, pair, coach, learner = los_angeles(postgres)
    run(postgres, utc(2026, 3, 1), CHANGED, CHANGED, lambda now: None)
    with postgres.unit_of_work() as uow:
        replan(uow.session, [1])  # a new partnership, say: the next pass plans the cohort, holding it
        uow.commit()

    with postgres.unit_of_work() as planning:
        plan(planning.session, CHANGED, grace=GRACE)
        raced(postgres, planning, lambda: saved_with_weekday(postgres, MONDAY, CHANGED, timezone=AUCKLAND))
    run(postgres, CHANGED, utc(2026, 3, 17), CHANGED, lambda now: None)

    status = statuses(postgres)
    assert {key: status[key] for key in messages_of(circle, pair, coach, learner, WEEK_3)} == dict.fromkeys(
        messages_of(circle, pair, coach, learner, WEEK_3), "sent"
    )
    assert [key for key, state in status.items() if state == "missed"] == []


def test_a_check_in_a_new_zone_made_late_at_night_there_waits_for_the_morning(
    db: Database, standin: SlackStandIn
) -> None:
    los_angeles(db, learner_zone=LOS_ANGELES)
    night = utc(2026, 3, 16, 14)  # 3:00 on Tuesday in Auckland, Monday's 9:00 there 18 hours before
    asked = learner_asked(db, standin, utc(2026, 3, 16, 12), utc(2026, 3, 17), night, AUCKLAND)

    assert len(asked) == 1  # once, in the morning where they are now
    assert 7 <= asked[0].astimezone(ZoneInfo(AUCKLAND)).hour < 21
