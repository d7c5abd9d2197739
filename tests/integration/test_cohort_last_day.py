"""A cohort's last day, as the scheduler lives through it: its evening check-in still comes, also to a
partner in a zone behind the cohort's, its pairs are completed once that day is over in every time zone,
and the last check-in still takes its answer the next morning."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from bot.tick import run_tick as bot_tick
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.errors import CheckInClosed
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Member, Partnership
from circles.services.checkins.answers import answer
from circles.services.planning.tick import Sent, run_tick
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in
SENDING = replace(UNPACED, look_up_dnd=False)

LAST_DAY = date(2026, 3, 30)  # a Monday


def last_day_pair(
    db: Database, zone: str, at: time, *, learner_zone: str | None = None, quiet: str | None = None
) -> tuple[Member, Member]:
    """A coach and a learner paired in a cohort of that zone, asked at `at` weekly from 2 March to its last
    day (its quiet hours `quiet`, when given); the learner in a zone of their own, when given."""
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(uow.session, ws, timezone=zone, at=at, starts_on=date(2026, 3, 2), ends_on=LAST_DAY)
        if quiet is not None:
            co.quiet_hours = quiet
        coach = world.member(uow.session, co, "U0COACH", Role.COACH)
        learner = world.member(uow.session, co, "U0LEARN", timezone=learner_zone)
        world.pair(uow.session, coach, learner)
        uow.commit()
    return coach, learner


def nothing_sent() -> Sent:
    return Sent(0, 0, 0, 0, "")


def test_a_check_in_at_eight_in_the_evening_of_the_last_day_comes_before_the_pair_is_completed(
    db: Database,
) -> None:
    coach, learner = last_day_pair(db, "America/Chicago", time(20))
    ended_at = None
    now = utc(2026, 3, 30, 12)  # 7:00 in Chicago on the last day, then a tick every hour
    while now < utc(2026, 4, 1):
        summary = run_tick(db, now, grace=GRACE, admins=(), decrypt=None, send=nothing_sent)
        if summary.counts["partnerships completed"]:
            ended_at = now
        now += timedelta(hours=1)
    last = LAST_DAY.isoformat()
    with db.reading() as uow:
        keys = world.keys(uow.session)
        [pair] = uow.session.scalars(select(Partnership))
    assert f"checkin:{pair.id}:{coach.id}:{last}" in keys  # 20:00 in Chicago: 01:00 the next day in UTC
    assert f"checkin:{pair.id}:{learner.id}:{last}" in keys
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.COMPLETED)
    assert ended_at == utc(2026, 3, 31, 12)  # when the last day is over everywhere, UTC-12 last


def test_a_partner_behind_the_cohorts_zone_gets_the_last_check_in_and_both_answer_it_the_next_morning(
    db: Database, standin: SlackStandIn
) -> None:
    coach, learner = last_day_pair(
        db, "Europe/London", time(18), learner_zone="America/Los_Angeles", quiet="none"
    )
    deps, asked = deps_for(db, standin), set()
    now = utc(2026, 3, 30, 12)
    while now < utc(2026, 4, 1):
        seen = len(standin.calls("chat.postMessage"))
        bot_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        asked |= {str(call.args.get("channel")) for call in posted if "check-in" in str(call.args).lower()}
        now += timedelta(hours=1)
    with db.reading() as uow:
        last = {c.member_id: c.id for c in uow.session.scalars(select(CheckIn).order_by(CheckIn.due_at))}
        [pair] = uow.session.scalars(select(Partnership))

    assert asked == {"U0COACH", "U0LEARN"}  # before: 18:00 in Los Angeles came after London's midnight
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.COMPLETED)
    next_morning = utc(2026, 3, 31, 16)  # 9:00 in Los Angeles, 17:00 in London
    given = CheckInAnswer(rating=4, met=True)
    answered = answer(
        db.unit_of_work(), "T0001", "U0LEARN", last[learner.id], given, next_morning, cipher=None
    )
    assert answered.answer.rating == 4  # before: "this partnership has ended", nothing saved
    too_late = utc(2026, 4, 5)  # past its days to answer
    with pytest.raises(CheckInClosed):
        answer(db.unit_of_work(), "T0001", "U0COACH", last[coach.id], given, too_late, cipher=None)
