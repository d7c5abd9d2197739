"""Members paused before their pauses were kept: the upgrade takes each pause to run from their latest
check-in (none is asked during a pause), so their pairs' health leaves it out from the first tick."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import Member
from circles.services.health.recompute import recompute
from tests import factories
from tests.factories import NOW


def test_a_member_paused_before_the_upgrade_is_paused_since_their_latest_check_in(
    from_empty: Database,
) -> None:
    with from_empty.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        co.checkin_every_weeks = 1
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH)
        learner = factories.member(uow.session, co, "U0LEARN", Role.LEARNER, MemberStatus.PAUSED)
        factories.member(uow.session, co, "U0NEW", Role.LEARNER, MemberStatus.PAUSED)
        pair = factories.pair(uow.session, coach, learner)
        for person in (coach, learner):
            uow.session.add(factories.checkin(pair, person.id, NOW + timedelta(days=7), 4, met=True))
        uow.commit()
        ids = (coach.id, learner.id)

    command.downgrade(migrate.alembic_config(from_empty.engine), "0028")
    migrate.upgrade(from_empty.engine)

    with from_empty.unit_of_work() as uow:
        stored = {m.slack_user_id: m.pauses for m in uow.session.scalars(select(Member))}
        assert uow.session.get_one(Member, ids[0]).pauses is None
        [[health]] = [recompute(uow.session, NOW + timedelta(days=60), record=False)]
    assert stored == {
        "U0COACH": None,
        "U0LEARN": [[(NOW + timedelta(days=7)).isoformat(), None]],
        "U0NEW": [[NOW.isoformat(), None]],
    }
    assert health.signals.days_without_meeting == 0
