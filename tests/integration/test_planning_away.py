"""Two weeks away, as the scheduler lives through it: nothing for the pair while away, one catch-up on the
return, the regular cadence after, and no escalation from the silence; a request for support still gets
through at once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.availability import AbsenceKind
from circles.domain.planning import CohortIn
from circles.domain.schedule import Window
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, CheckIn, Cohort, Escalation, Partnership, Workspace
from circles.queries.availability import end_own_blocks
from circles.services.health.due import look_now
from circles.services.health.recompute import recompute
from circles.services.health.watch import watch
from circles.services.planning import plan
from circles.services.planning.load import load_cohorts
from circles.services.planning.replan import away_changed
from tests import factories
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc

AWAY_FROM, BACK = utc(2026, 3, 10, 9), utc(2026, 3, 24, 12)  # two weeks, back on a Tuesday at noon


def own_block(workspace_id: int, user_id: str, starts: datetime, ends: datetime) -> AwayBlock:
    """Time away the person gave themselves."""
    return AwayBlock(
        workspace_id=workspace_id,
        slack_user_id=user_id,
        starts_at=starts,
        ends_at=ends,
        kind=AbsenceKind.AWAY,
        created_by=user_id,
        created_at=starts,
    )


def away_learner(db: Database) -> tuple[int, int, int, int]:
    """The standard cohort, run by U0FAC, whose London learner is away for two weeks in March."""
    cohort, circle, partnership, coach, learner = standard(db)
    with db.unit_of_work() as uow:
        row = uow.session.get(Partnership, partnership.id)
        assert row is not None
        row.started_at = utc(2026, 3, 2)
        factories.facilitator(uow.session, cohort, "U0FAC", at=world.LONG_AGO)
        uow.session.add(own_block(learner.workspace_id, "U0LEARN", AWAY_FROM, BACK))
        uow.commit()
    return circle.id, partnership.id, coach.id, learner.id


def answer_what_fell_due(session: Session, now: datetime) -> None:
    """Each partner answers an hour after their check-in; they met before the absence, not since."""
    due = list(
        session.scalars(
            select(CheckIn).where(CheckIn.answered_at.is_(None), CheckIn.due_at <= now - timedelta(hours=1))
        )
    )
    for checkin in due:
        checkin.answered_at, checkin.rating = checkin.due_at + timedelta(hours=1), 4
        checkin.met = checkin.due_at < AWAY_FROM
    look_now(session, [checkin.partnership_id for checkin in due], now)


def test_two_weeks_away_then_one_catch_up_then_the_cadence_and_no_escalation_from_the_silence(
    db: Database,
) -> None:
    circle, pair, coach, learner = away_learner(db)
    opened = 0
    now = utc(2026, 3, 1)
    while now < utc(2026, 4, 14):  # every five hours; each pass is given its time, so no clock is frozen
        with db.unit_of_work() as uow:
            plan(uow.session, now, grace=GRACE)
            answer_what_fell_due(uow.session, now)
            opened += watch(uow.session, now, admins=set()).escalations_opened
            uow.commit()
        now += timedelta(hours=5)
    with db.unit_of_work() as uow:
        rows = world.outbox(uow.session)
        health = recompute(uow.session, utc(2026, 4, 14), partnerships=[pair], record=False)
        escalations = uow.session.scalars(select(Escalation)).all()
    sent = {row.idempotency_key: row.due_at for row in rows}
    mondays = ["2026-03-09", "2026-03-30", "2026-04-06", "2026-04-13"]  # 16 and 23 March fell inside
    assert sorted(k for k in sent if k.startswith(f"checkin:{pair}:{coach}:")) == [
        f"checkin:{pair}:{coach}:{day}" for day in mondays
    ]
    assert sorted(k for k in sent if k.startswith(f"checkin:{pair}:{learner}:")) == sorted(
        [f"checkin:{pair}:{learner}:{day}" for day in mondays] + [f"checkin:{pair}:{learner}:back:2026-03-23"]
    )
    assert sent[f"checkin:{pair}:{learner}:back:2026-03-23"] == BACK
    assert sorted(k for k in sent if k.startswith(("pair_prompt", "coach_idea"))) == sorted(
        [f"pair_prompt:{pair}:{day}" for day in mondays] + [f"coach_idea:{coach}:{day}" for day in mondays]
    )
    # The circle carried on every week; the learner got its latest prompt once, privately, on their return.
    templates = Counter(row.payload["template"] for row in rows)
    assert templates["circle_prompt"] == 7
    catch_up = [row for row in rows if row.payload["template"] == "circle_prompt_catch_up"]
    assert [(r.idempotency_key, r.channel, r.due_at) for r in catch_up] == [
        (f"circle_prompt_catch_up:{circle}:{learner}:2026-03-23", "U0LEARN", BACK)
    ]
    assert all(not (AWAY_FROM <= row.due_at < BACK) or row.channel == "C0CIRCLE1" for row in rows)
    # No meeting reported since 9 March, 35 days ago: 21 of them count, the two weeks away do not.
    assert health[0].signals.days_without_meeting == 21
    assert (opened, escalations) == (0, [])


def test_a_struggling_pair_waits_for_the_return_unless_support_was_asked_for(db: Database) -> None:
    _, pair, coach, learner = away_learner(db)
    due = utc(2026, 3, 9, 9)
    with db.unit_of_work() as uow:
        partnership = uow.session.get(Partnership, pair)
        assert partnership is not None
        uow.session.add(factories.checkin(partnership, learner, due, 1, after=timedelta(hours=1)))
        uow.session.add(factories.checkin(partnership, coach, due, 1, after=timedelta(days=2)))
        look_now(uow.session, [pair], due)
        uow.commit()
    during = utc(2026, 3, 11, 12)
    with db.unit_of_work() as uow:
        assert watch(uow.session, during, admins=set()).escalations_opened == 0
        uow.commit()
    with db.unit_of_work() as uow:
        partnership = uow.session.get(Partnership, pair)
        assert partnership is not None
        assert partnership.health_due_at == BACK  # looked at again on the return
        coach_answer = uow.session.scalars(select(CheckIn).where(CheckIn.member_id == coach)).one()
        coach_answer.wants_support = True
        look_now(uow.session, [pair], during)
        uow.commit()
    with db.unit_of_work() as uow:
        assert watch(uow.session, during + timedelta(hours=1), admins=set()).escalations_opened == 1
        uow.commit()


def test_without_support_the_escalation_opens_on_the_return(db: Database) -> None:
    _, pair, coach, learner = away_learner(db)
    due = utc(2026, 3, 9, 9)
    with db.unit_of_work() as uow:
        partnership = uow.session.get(Partnership, pair)
        assert partnership is not None
        uow.session.add(factories.checkin(partnership, learner, due, 1, after=timedelta(hours=1)))
        uow.session.add(factories.checkin(partnership, coach, due, 1, after=timedelta(days=2)))
        look_now(uow.session, [pair], due)
        uow.commit()
    for now, opened in ((utc(2026, 3, 11, 12), 0), (BACK - timedelta(minutes=1), 0), (BACK, 1)):
        with db.unit_of_work() as uow:
            assert watch(uow.session, now, admins=set()).escalations_opened == opened
            uow.commit()


def test_coming_back_early_brings_the_waiting_escalation_and_the_catch_up_forward(db: Database) -> None:
    _, pair, coach, learner = away_learner(db)
    due = utc(2026, 3, 9, 9)
    with db.unit_of_work() as uow:
        partnership = uow.session.get(Partnership, pair)
        assert partnership is not None
        uow.session.add(factories.checkin(partnership, learner, due, 1, after=timedelta(hours=1)))
        uow.session.add(factories.checkin(partnership, coach, due, 1, after=timedelta(days=2)))
        look_now(uow.session, [pair], due)
        plan(uow.session, utc(2026, 3, 17), grace=GRACE)
        assert watch(uow.session, utc(2026, 3, 17), admins=set()).escalations_opened == 0
        uow.commit()
    early = utc(2026, 3, 18, 10)
    with db.unit_of_work() as uow:
        assert end_own_blocks(uow.session, partnership.workspace_id, "U0LEARN", early) == 1
        away_changed(uow.session, partnership.workspace_id, "U0LEARN", early)
        uow.commit()
    with db.unit_of_work() as uow:
        plan(uow.session, early + timedelta(minutes=5), grace=GRACE)
        assert watch(uow.session, early + timedelta(minutes=5), admins=set()).escalations_opened == 1
        uow.commit()
        back = {row.idempotency_key: row.due_at for row in world.outbox(uow.session)}
    assert back[f"checkin:{pair}:{learner}:back:2026-03-16"] == early


def past_days_off(db: Database, user_id: str, first: datetime, count: int) -> None:
    """`count` short own blocks of the person, one every 4 hours from `first`: their history."""
    with db.unit_of_work() as uow:
        workspace_id = uow.session.scalars(select(Workspace.id)).one()
        starts = [first + n * timedelta(hours=4) for n in range(count)]
        uow.session.add_all(own_block(workspace_id, user_id, at, at + timedelta(hours=2)) for at in starts)
        uow.commit()


def test_planning_reads_the_away_blocks_its_window_needs_not_the_history_or_the_far_future(
    db: Database,
) -> None:
    away_learner(db)  # away from 10 to 24 March, in a cohort with weekly check-ins
    with db.unit_of_work() as uow:  # and in one checking in every 12 weeks: a return there looks further back
        rare = world.cohort(uow.session, uow.session.scalars(select(Workspace)).one(), "pgy2")
        rare.checkin_every_weeks = 12
        world.pair(
            uow.session,
            world.member(uow.session, rare, "U0MENTOR", Role.MENTOR),
            world.member(uow.session, rare, "U0LEARN"),
        )
        uow.commit()
    past_days_off(db, "U0LEARN", utc(2026, 9, 1), 1)  # a block months ahead: nothing here depends on it
    window = Window.around(
        utc(2026, 3, 20), grace=GRACE, horizon=timedelta(hours=1), look_back=timedelta(weeks=2)
    )
    read: list[tuple[int, int]] = []
    for history, since in ((10, utc(2025, 12, 10)), (290, utc(2025, 12, 12))):  # 10 past blocks, then 300
        past_days_off(db, "U0LEARN", since, history)
        weekly, quarterly = loaded(db, window)
        (pair,) = weekly.pairs
        (learner,) = [p for circle in weekly.circles for p in circle.people if p.user_id == "U0LEARN"]
        assert pair.second.away == learner.away == ((AWAY_FROM, BACK),)
        read.append((len(pair.second.away), len(quarterly.pairs[0].second.away)))
    assert read == [(1, 11), (1, 301)]  # the weekly cohort reads what is due; the quarterly one, 13 weeks


def test_a_circle_someone_comes_back_to_from_long_away_is_read_with_the_others_time_away_before_it(
    db: Database,
) -> None:
    standard(db)  # the London learner, the coach and three peers in one circle, prompted on Mondays
    with db.unit_of_work() as uow:
        workspace_id = uow.session.scalars(select(Workspace.id)).one()
        # Away from 1 February, back on Wednesday 1 April.
        uow.session.add(own_block(workspace_id, "U0LEARN", utc(2026, 2, 1), utc(2026, 4, 1, 9)))
        uow.commit()
    past_days_off(db, "U0PEER0", utc(2026, 2, 16, 6), 1)  # a peer away for some hours in February
    window = Window(utc(2026, 3, 18), utc(2026, 4, 1), utc(2026, 4, 1, 10))
    (cohort,) = loaded(db, window)
    (peer,) = [p for circle in cohort.circles for p in circle.people if p.user_id == "U0PEER0"]
    # Whether the circle was prompted while the learner was away turns on where the others were then.
    assert peer.away == ((utc(2026, 2, 16, 6), utc(2026, 2, 16, 8)),)


def loaded(db: Database, window: Window) -> list[CohortIn]:
    """Every cohort as planning loads it for the window, oldest first."""
    with db.unit_of_work() as uow:
        cohorts = list(uow.session.scalars(select(Cohort).order_by(Cohort.id)))
        return load_cohorts(uow.session, cohorts, window)[0]
