"""A pass costs what is due: nothing due is a few statements at any size, and every change is planned at once.

Planning and digests read only the cohorts and people whose stored due time has come; each change a
person or a facilitator makes through the app sets those back to "at once", so what it adds within the
next hour still goes out on time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, OutboxMessage, Profile
from circles.services.cohorts.config import configure_cohort
from circles.services.cohorts.settings_row import settings_of
from circles.services.intake.workspaces import ensure_workspace, mark_uninstalled
from circles.services.nudges.digests import plan_nudges
from circles.services.partnerships.requests import accept_request, request_guide
from circles.services.people.membership import resume
from circles.services.people.profiles import SlackPerson, refresh_from_slack
from circles.services.planning import due as planning_due
from circles.services.planning import expire_overdue, plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning_scale import counting_statements

SUNDAY_EVENING = datetime(2026, 3, 15, 20, tzinfo=UTC)  # 16:00 in New York; Monday's 9:00 there is 13:00 UTC


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def tick(db: Database, now: datetime) -> None:
    """What the scheduler's pass does with planning and digests, in one transaction."""
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE)
        plan_nudges(uow.session, now)
        expire_overdue(uow.session, now, GRACE)
        uow.commit()


def cohort_with_a_pair(session: Session, team_id: str = "T0001") -> Cohort:
    """New York, Mondays at 9:00, weekly check-ins; a coach with room for more, a learner, their circle."""
    co = world.cohort(session, world.workspace(session, team_id))
    co.pairing_mode = PairingMode.COACH_LEARNER  # its learners may ask its coaches
    coach = world.member(session, co, "U0COACH", Role.COACH)
    learner = world.member(session, co, "U0LEARN")
    session.add(
        Profile(workspace_id=co.workspace_id, slack_user_id="U0COACH", capacity=3, updated_at=at(1, 0))
    )
    world.circle(session, co, [coach, learner])
    world.pair(session, coach, learner)
    return co


def seeded(db: Database) -> None:
    with db.unit_of_work() as uow:
        co = cohort_with_a_pair(uow.session)
        world.member(uow.session, co, "U0NEW", timezone="Asia/Tokyo")
        quiet = world.member(uow.session, co, "U0QUIET", Role.MENTOR)  # nobody to guide yet
        uow.session.add(
            Profile(workspace_id=co.workspace_id, slack_user_id="U0QUIET", capacity=2, updated_at=at(1, 0))
        )
        assert quiet.id
        uow.commit()


def pending(db: Database) -> dict[str, datetime]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))
        return {row.idempotency_key: row.due_at for row in rows}


def member_id(db: Database, user_id: str) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(Member.id).where(Member.slack_user_id == user_id)).one()


def test_a_pass_with_nothing_due_costs_the_same_few_statements_for_five_cohorts_or_fifty(
    db: Database,
) -> None:
    def add_cohorts(first: int, count: int) -> None:
        with db.unit_of_work() as uow:
            for n in range(first, first + count):
                cohort_with_a_pair(uow.session, f"T{n:04d}")
            uow.commit()

    wednesday = at(18, 3)  # late on Tuesday in New York: nobody's morning, no prompt for days
    add_cohorts(0, 5)
    with counting_statements(db) as due_few:
        tick(db, wednesday)  # every new cohort and person is due at once
    with counting_statements(db) as idle_few:
        tick(db, at(18, 3, 10))
    add_cohorts(5, 45)
    with counting_statements(db) as due_many:
        tick(db, at(18, 3, 20))
    with counting_statements(db) as idle_many:
        tick(db, at(18, 3, 30))
    assert len(idle_many) == len(idle_few) <= 6, idle_many
    assert len(due_many) == len(due_few) <= 16, due_many  # set-based: none per cohort, pair or person
    with db.unit_of_work() as uow:
        missed = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "missed")).all()
    assert len({row.workspace_id for row in missed}) == 50  # each cohort was planned, once


def test_a_partnership_made_mid_week_gets_its_first_check_in_on_time(db: Database) -> None:
    seeded(db)
    tick(db, SUNDAY_EVENING)  # the cohort's next message is Monday 13:00 UTC, for everyone it had
    request = request_guide(db.unit_of_work(), "T0001", "U0NEW", "pgy1", "U0COACH", at(15, 20, 5))
    accept_request(db.unit_of_work(), "T0001", "U0COACH", request.request_id, at(15, 20, 10))
    tick(db, at(15, 23, 30))
    checkins = {key: due for key, due in pending(db).items() if key.startswith("checkin:")}
    # 9:00 on Monday in Tokyo is midnight UTC: hours before anyone else's, and planned in time.
    [(key, due)] = checkins.items()
    assert key.endswith(f":{member_id(db, 'U0NEW')}:2026-03-16")
    assert due == at(16, 0)


def test_new_settings_are_planned_at_once(db: Database) -> None:
    seeded(db)
    tick(db, SUNDAY_EVENING)
    with db.unit_of_work() as uow:
        settings = settings_of(uow.session.scalars(select(Cohort)).one())
    sooner = replace(settings, prompt_weekday=6, prompt_local_time=time(19, 30))  # Sundays, 23:30 UTC
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        sooner,
        ["U0ADMIN"],
        user_id="U0ADMIN",
        is_admin=True,
        now=at(15, 21),
    )
    tick(db, at(15, 23))
    prompts = {key: due for key, due in pending(db).items() if key.startswith("circle_prompt:")}
    assert list(prompts.values()) == [at(15, 23, 30)]


def test_someone_back_from_a_pause_minutes_before_a_check_in_still_gets_it(db: Database) -> None:
    seeded(db)
    with db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        learner.status = MemberStatus.PAUSED
        uow.commit()
    tick(db, at(16, 12, 10))  # the pair is on hold at 13:00: nothing for it
    assert not any(key.startswith("checkin:") for key in pending(db))
    resume(db.unit_of_work(), "T0001", "U0LEARN", at(16, 12, 20))
    tick(db, at(16, 12, 30))
    checkins = sorted(due for key, due in pending(db).items() if key.startswith("checkin:"))
    assert checkins == [at(16, 13), at(16, 13)]  # coach and learner, at 9:00 in New York


def test_a_new_time_zone_from_slack_moves_the_next_check_in_in_time(db: Database) -> None:
    seeded(db)
    tick(db, SUNDAY_EVENING)
    refresh_from_slack(
        db.unit_of_work(), "T0001", "U0COACH", slack=SlackPerson("Asia/Tokyo", None), now=at(15, 20, 10)
    )
    tick(db, at(15, 23, 30))
    checkins = {key: due for key, due in pending(db).items() if key.startswith("checkin:")}
    assert list(checkins.values()) == [at(16, 0)]  # the coach's, 9:00 in Tokyo


def test_a_workspace_installed_again_gets_its_prompts_again(db: Database) -> None:
    seeded(db)
    mark_uninstalled(db.unit_of_work(), "T0001", at(15, 19))
    tick(db, SUNDAY_EVENING)  # nothing can be due there any more
    with db.unit_of_work() as uow:
        ensure_workspace(uow.session, "T0001", at(15, 22))
        uow.commit()
    tick(db, at(16, 12, 30))
    assert sum(key.startswith("circle_prompt:") for key in pending(db)) == 1


def test_a_request_that_arrives_during_the_morning_is_in_that_days_digest(db: Database) -> None:
    seeded(db)
    tick(db, at(16, 13, 30))  # 9:30 in New York: the mentor has nothing to act on yet
    assert not any(key.startswith("digest:U0QUIET") for key in pending(db))
    request_guide(db.unit_of_work(), "T0001", "U0NEW", "pgy1", "U0QUIET", at(16, 14))
    tick(db, at(16, 14, 30))
    assert "digest:U0QUIET:2026-03-16" in pending(db)


def test_a_pass_plans_a_bounded_share_and_the_next_passes_plan_the_rest(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning_due, "COHORTS_PER_PASS", 2)
    with db.unit_of_work() as uow:
        for n in range(5):
            cohort_with_a_pair(uow.session, f"T{n:04d}")
        uow.commit()
    planned = []
    for minute in range(4):
        with db.unit_of_work() as uow:
            planned.append(plan(uow.session, at(16, 12, minute), grace=GRACE).cohorts)
            uow.commit()
    assert planned == [2, 2, 1, 0]
    assert sum(key.startswith("circle_prompt:") for key in pending(db)) == 5  # Monday's, one per cohort
