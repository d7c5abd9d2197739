"""A pair can only report a meeting when a check-in asks, on SQLite and PostgreSQL: a long interval, an
interval shortened since, or a cohort whose first week is still ahead never reads as pairs not meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, Escalation, HealthRecord
from circles.services.health.recompute import recompute
from circles.services.health.watch import watch
from circles.services.planning import plan
from circles.services.planning.replan import replan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning_weekday_moved import MONDAY, saved_with_weekday

PAIRED = datetime(2026, 2, 27, 15, tzinfo=UTC)  # a Friday; the cohort's Mondays at 9:00 in New York follow


def seeded(db: Database, *, every: int = 1, starts_on: date | None = date(2026, 3, 2), **limits: int) -> int:
    """A coach and a learner paired on 27 February in a cohort checking in every `every` weeks."""
    with db.unit_of_work() as uow:
        s = uow.session
        co = world.cohort(s, world.workspace(s), checkin_every_weeks=every, starts_on=starts_on)
        co.health_thresholds = dict(limits)
        coach, learner = world.member(s, co, "U0COACH", Role.COACH), world.member(s, co, "U0LEARN")
        pair = world.pair(s, coach, learner, started_at=PAIRED)
        uow.commit()
        return pair.id


def tick(db: Database, now: datetime, *, met: bool = True) -> None:
    """One pass of the tick, then every question asked by now answered at once: met (or not), rated 5."""
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE)
        watch(uow.session, now, admins=set(), full=True)
        waiting = select(CheckIn).where(CheckIn.answered_at.is_(None), CheckIn.due_at <= now)
        for row in uow.session.scalars(waiting):
            row.answered_at, row.rating, row.met = now, 5, met
        uow.commit()


def days(first: int, last: int) -> list[datetime]:
    """The daily ticks from `first` to `last` days after the pairing."""
    return [PAIRED + timedelta(days=day) for day in range(first, last + 1)]


def states(db: Database, partnership_id: int) -> list[tuple[str, str, str]]:
    """The pair's health history: each change's day, state and reasons."""
    with db.unit_of_work() as uow:
        query = select(HealthRecord).where(HealthRecord.partnership_id == partnership_id)
        rows = uow.session.scalars(query.order_by(HealthRecord.id))
        return [(row.computed_at.date().isoformat(), str(row.state), row.reason_keys) for row in rows]


def seen(db: Database, partnership_id: int, now: datetime) -> tuple[str, list[str], bool]:
    """The pair's health as the board shows it at `now`: its state, its reasons, and whether time was left
    out as unasked."""
    with db.unit_of_work() as uow:
        [health] = recompute(uow.session, now, partnerships=[partnership_id], record=False)
        return str(health.state), [r.text for r in health.reasons], health.signals.left_out_unasked


def escalations(db: Database) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Escalation)) or 0


def asked_days(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return sorted({row.due_at.date().isoformat() for row in world.checkins(uow.session)})


def test_a_pair_meeting_at_every_check_in_is_never_flagged_once_check_ins_come_every_four_weeks(
    db: Database,
) -> None:
    pair = seeded(db)
    for now in days(0, 95):
        if now == PAIRED + timedelta(days=15):
            saved_with_weekday(db, MONDAY, now, checkin_every_weeks=4)
        tick(db, now)

    assert asked_days(db) == ["2026-03-09", "2026-03-30", "2026-04-27", "2026-05-25"]
    assert {state for _, state, _ in states(db, pair)} == {"steady", "thriving"}
    assert escalations(db) == 0


def test_a_silent_pairs_concern_and_its_reason_stay_when_the_interval_is_shortened(db: Database) -> None:
    pair = seeded(db, every=4, starts_on=None, days_without_meeting=45)  # its weeks from 5 January
    for now in days(0, 63):
        tick(db, now, met=False)  # asked on 2 March, 30 March and 27 April: no meeting
    may_1 = PAIRED + timedelta(days=63)
    concern = ("needs_attention", ["no meeting reported since they were paired 63 days ago"], False)
    assert seen(db, pair, may_1) == concern

    saved_with_weekday(db, MONDAY, may_1, checkin_every_weeks=1)
    with db.unit_of_work() as uow:
        watch(uow.session, may_1, admins=set())  # the new settings make every pair due
        uow.commit()

    assert asked_days(db) == ["2026-03-02", "2026-03-30", "2026-04-27"]
    assert seen(db, pair, may_1) == concern
    assert states(db, pair)[-1][1:] == ("needs_attention", "no_meeting:pair")


def moved_start(db: Database, now: datetime, starts_on: date) -> None:
    """The cohort's start moved later on its row once its pairs had met (nothing refused it then)."""
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.starts_on = starts_on
        replan(uow.session, [cohort.id], digests=True, moved_at=now)
        uow.commit()


def test_pairs_that_were_meeting_are_not_flagged_while_their_cohorts_moved_start_is_ahead(
    db: Database,
) -> None:
    pair = seeded(db)
    for now in days(0, 18):  # they met at the check-ins of 9 and 16 March
        tick(db, now)
    moved_start(db, PAIRED + timedelta(days=18), date(2026, 4, 27))
    for now in days(19, 70):
        tick(db, now)

    assert asked_days(db)[:3] == ["2026-03-09", "2026-03-16", "2026-05-04"]
    assert {state for _, state, _ in states(db, pair)} == {"steady", "thriving"}


def test_a_pair_made_before_its_cohort_begins_is_not_flagged_for_the_weeks_before_it(db: Database) -> None:
    pair = seeded(db, starts_on=date(2026, 4, 27))
    for now in days(0, 60):
        tick(db, now, met=False)

    assert asked_days(db) == []
    history: list[Any] = states(db, pair)
    assert [state for _, state, _ in history] == ["steady"]
