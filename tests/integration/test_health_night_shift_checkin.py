"""A Friday check-in held for a Sun–Thu night worker until Sunday evening is still that Friday's check-in, as
the scheduler lives through it on SQLite and PostgreSQL: one week needing attention is one check-in in the
run, so the facilitators hear nothing after a single week."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.tick import run_tick
from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Escalation, Profile
from circles.services.checkins.answers import answer
from circles.services.health.recompute import recompute
from standin import SlackStandIn
from tests import factories
from tests.dispatching import UNPACED, deps_for
from tests.integration import planning_world as world
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in
SENDING = replace(UNPACED, look_up_dnd=False)
NIGHT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()
FRIDAY = datetime(2026, 3, 13, 9, tzinfo=UTC)  # the cohort's first check-in
SUNDAY_EVENING = datetime(2026, 3, 15, 19, tzinfo=UTC)  # the coach's night shift begins


def night_coach_pair(db: Database) -> tuple[int, int]:
    """A cohort in UTC checking in weekly on Fridays at 09:00 from 2 March, facilitated by Fay: a coach who
    works Sun–Thu nights and a learner. The coach's and the learner's membership ids."""
    with db.unit_of_work() as uow:
        s = uow.session
        ws = world.workspace(s)
        co = world.cohort(s, ws, timezone="UTC", weekday=4, at=time(9), starts_on=date(2026, 3, 2))
        factories.facilitator(s, co, "U0FAY")
        coach = world.member(s, co, "U0COACH", Role.COACH, timezone="UTC")
        learner = world.member(s, co, "U0LEARN", timezone="UTC")
        world.pair(s, coach, learner)
        s.flush()
        s.scalars(select(Profile).where(Profile.slack_user_id == "U0COACH")).one().work_pattern = NIGHT
        uow.commit()
        return coach.id, learner.id


def ticks(db: Database, standin: SlackStandIn, start: datetime, hours: int) -> None:
    """A tick every hour for `hours` hours from `start` (a tick sends whatever fell due since the last)."""
    deps = deps_for(db, standin)
    for hour in range(hours):
        run_tick(deps, start + timedelta(hours=hour), sending=SENDING)


def test_one_week_in_need_of_attention_with_a_question_held_for_a_night_shift_alerts_nobody(
    db: Database, standin: SlackStandIn
) -> None:
    coach_id, learner_id = night_coach_pair(db)
    ticks(db, standin, FRIDAY - timedelta(hours=1), 3)
    with db.reading() as uow:
        [theirs] = uow.session.scalars(select(CheckIn.id).where(CheckIn.member_id == learner_id))
    low = CheckInAnswer(rating=2, met=True)
    answer(db.unit_of_work(), "T0001", "U0LEARN", theirs, low, FRIDAY + timedelta(hours=3), cipher=None)
    ticks(db, standin, FRIDAY + timedelta(hours=3), 2)
    ticks(db, standin, SUNDAY_EVENING - timedelta(hours=1), 3)  # the coach's question goes at 19:00

    with db.reading() as uow:
        [held] = uow.session.scalars(select(CheckIn).where(CheckIn.member_id == coach_id))
        [health] = recompute(uow.session, SUNDAY_EVENING + timedelta(hours=2), record=False)
        escalations = list(uow.session.scalars(select(Escalation)))
    assert (held.due_at, held.asked_at) == (FRIDAY, SUNDAY_EVENING)  # the question went with the shift
    assert health.state is State.NEEDS_ATTENTION
    assert (health.signals.checkins_due, health.attention_streak) == (1, 1)  # as the board shows it
    assert escalations == []
    told = {str(call.args.get("channel")) for call in standin.calls("chat.postMessage")}
    assert "U0FAY" not in told
