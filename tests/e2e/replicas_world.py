"""A cohort living in real time: a circle whose prompt is due, a struggling pair and a steady one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from tests import factories

FACILITATORS = ("U0FAC1", "U0FAC2")
STRUGGLING = ("U0COACH1", "U0LEARN1")  # both rated the partnership 1 at their last check-in
STEADY = ("U0COACH2", "U0LEARN2")
MEMBERS = (*STRUGGLING, *STEADY)
CIRCLE = "C0REPLICAS"
RATINGS = {STRUGGLING: 1, STEADY: 4}


def in_second_week(co: Cohort, due: datetime) -> None:
    """Make the cohort weekly coach–learner in UTC, its second week starting at `due` (UTC).

    It keeps no quiet hours, so what falls due is sent at once whatever the hour the test runs."""
    co.pairing_mode, co.timezone, co.quiet_hours = PairingMode.COACH_LEARNER, "UTC", ""
    co.prompt_weekday, co.prompt_local_time = due.weekday(), due.time().replace(second=0, microsecond=0)
    co.starts_on, co.checkin_every_weeks = (due - timedelta(days=7)).date(), 1


def seed(db: Database, due: datetime) -> None:
    """The cohort's second week starts at `due` (UTC): a circle prompt and each partner's check-in."""
    with db.unit_of_work() as uow:
        session = uow.session
        co = factories.cohort(session, factories.workspace(session), "replicas", "Replicas")
        in_second_week(co, due)
        for user in FACILITATORS:
            factories.facilitator(session, co, user)
        for coach, learner in RATINGS:
            factories.member(session, co, coach, Role.COACH)
            factories.member(session, co, learner, Role.LEARNER)
        last_week = due - timedelta(days=7)
        for (coach, learner), rating in RATINGS.items():
            pair = factories.partnership(session, coach, learner)
            pair.started_at = due - timedelta(days=14)
            for member_id in (pair.first_member_id, pair.second_member_id):
                session.add(factories.checkin(pair, member_id, last_week, rating, after=timedelta(hours=2)))
        everyone = list(session.scalars(select(Member)))
        # Made just after its first week's prompt, which it never had. The prompt's time is kept to the
        # minute: a circle made at `due` a week earlier, when `due` fell on a whole minute, had that prompt
        # too, a week late and recorded missed, never sent.
        made = due.replace(second=0, microsecond=0) - timedelta(days=7) + timedelta(seconds=1)
        factories.circle(session, co, everyone, "circle-replicas-r1-1", CIRCLE, at=made)
        uow.commit()
