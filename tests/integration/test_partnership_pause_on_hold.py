"""A paused partnership is on hold, as a partner's own pause is: no check-in reaches the pair then, so once
resumed its days paused are no days without meeting, the coach's digest does not count them and the
facilitators are not called for them; a pair that simply did not meet is still flagged."""

from __future__ import annotations

from datetime import datetime, timedelta

from alembic import command
from sqlalchemy import select

from circles.domain.nudges import NudgeKind
from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import Escalation, Partnership
from circles.services.health.recompute import PartnershipHealth, recompute
from circles.services.health.watch import watch
from circles.services.nudges.digests import digest_now
from circles.services.partnerships.changes import (
    change_for_facilitator,
    end_partnership,
    pause_partnership,
    resume_partnership,
)
from tests import factories
from tests.factories import NOW

MET = NOW + timedelta(weeks=2)  # both report a meeting, answered three hours on
PAUSED = MET + timedelta(days=1)
RESUMED = PAUSED + timedelta(weeks=5)
AFTER = RESUMED + timedelta(minutes=1)
COACH, LEARNER, FACILITATOR = "U0COACH", "U0LEARN", "U0FAC"
FLAGGED = (State.NEEDS_ATTENTION, State.STRUGGLING)


def seeded(db: Database, learner_rating: int = 5) -> int:
    """A coach and a learner who met at week 2; the pair's id."""
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.facilitator(uow.session, cohort, FACILITATOR)
        coach = factories.member(uow.session, cohort, COACH, Role.COACH)
        learner = factories.member(uow.session, cohort, LEARNER)
        pair = factories.pair(uow.session, coach, learner, started_at=NOW)
        uow.session.add(factories.checkin(pair, coach.id, MET, 5, met=True))
        uow.session.add(factories.checkin(pair, learner.id, MET, learner_rating, met=True))
        uow.commit()
        return pair.id


def paused_by_partner(db: Database, pair_id: int, since: datetime, until: datetime, key: str = "1") -> None:
    pause_partnership(db.unit_of_work(), "T0001", LEARNER, pair_id, since, request_key=f"pause-{key}")
    resume_partnership(db.unit_of_work(), "T0001", LEARNER, pair_id, until, request_key=f"resume-{key}")


def health(db: Database, now: datetime) -> PartnershipHealth:
    with db.unit_of_work() as uow:
        [found] = recompute(uow.session, now, record=False)
        return found


def no_meeting_nudges(db: Database, now: datetime) -> list[int]:
    sections = digest_now(db.unit_of_work(), "T0001", COACH, now)
    return [n.count for s in sections for n in s.nudges if n.kind is NudgeKind.NO_MEETING]


def escalations_after_watching(db: Database, *instants: datetime) -> int:
    for now in instants:
        with db.unit_of_work() as uow:
            watch(uow.session, now, admins={"U0ADMIN"})
            uow.commit()
    with db.unit_of_work() as uow:
        return len(uow.session.scalars(select(Escalation.id)).all())


def stored_pauses(db: Database, pair_id: int) -> list[list[str | None]] | None:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Partnership, pair_id).pauses


def test_right_after_a_resume_the_weeks_paused_are_no_days_without_meeting(db: Database) -> None:
    paused_by_partner(db, seeded(db), PAUSED, RESUMED)
    found = health(db, AFTER)
    # The meeting was answered 21 hours before the pause: no whole day without meeting since.
    assert found.signals.days_without_meeting == 0
    assert found.state not in FLAGGED
    assert no_meeting_nudges(db, AFTER) == []


def test_a_pair_that_simply_did_not_meet_for_five_weeks_is_still_flagged(db: Database) -> None:
    seeded(db)
    found = health(db, AFTER)
    assert found.signals.days_without_meeting == 35
    assert found.state in FLAGGED
    assert no_meeting_nudges(db, AFTER) == [35]


def test_a_low_rating_before_a_pause_opens_no_escalation_at_the_resume(db: Database) -> None:
    paused_by_partner(db, seeded(db, learner_rating=2), PAUSED, RESUMED)
    assert escalations_after_watching(db, PAUSED, AFTER) == 0
    assert health(db, AFTER).state is State.NEEDS_ATTENTION  # the low rating, not the weeks paused


def test_a_low_rating_and_five_weeks_without_a_meeting_unpaused_open_one(db: Database) -> None:
    seeded(db, learner_rating=2)
    assert escalations_after_watching(db, PAUSED, AFTER) == 1


def test_a_pair_paused_by_a_facilitator_and_resumed_is_on_hold_as_well(db: Database) -> None:
    pair_id = seeded(db, learner_rating=2)
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, pair_id)
        paused, why = PartnershipStatus.PAUSED, EndReason.FACILITATOR
        assert change_for_facilitator(uow.session, pair, paused, why, PAUSED, request_key="fac")
        uow.commit()
    resume_partnership(db.unit_of_work(), "T0001", COACH, pair_id, RESUMED, request_key="resume")
    assert stored_pauses(db, pair_id) == [[PAUSED.isoformat(), RESUMED.isoformat()]]
    assert health(db, AFTER).signals.days_without_meeting == 0
    assert no_meeting_nudges(db, AFTER) == []
    assert escalations_after_watching(db, AFTER) == 0


def test_a_pair_paused_twice_keeps_both_pauses(db: Database) -> None:
    pair_id = seeded(db)
    again = RESUMED + timedelta(days=10)
    paused_by_partner(db, pair_id, PAUSED, RESUMED, "1")
    paused_by_partner(db, pair_id, again, again + timedelta(weeks=4), "2")
    assert stored_pauses(db, pair_id) == [
        [PAUSED.isoformat(), RESUMED.isoformat()],
        [again.isoformat(), (again + timedelta(weeks=4)).isoformat()],
    ]
    later = again + timedelta(weeks=4, days=2)
    # The day before the first pause, the ten days between the two, and two since the second.
    assert health(db, later).signals.days_without_meeting == 12
    assert no_meeting_nudges(db, later) == []


def test_a_pair_ended_while_paused_leaves_the_other_pairs_health_alone(db: Database) -> None:
    pair_id = seeded(db)
    pause_partnership(db.unit_of_work(), "T0001", LEARNER, pair_id, PAUSED, request_key="pause")
    end_partnership(db.unit_of_work(), "T0001", LEARNER, pair_id, "", RESUMED, request_key="end")
    assert stored_pauses(db, pair_id) == [[PAUSED.isoformat(), None]]
    with db.unit_of_work() as uow:
        assert recompute(uow.session, AFTER, record=False) == []
    assert no_meeting_nudges(db, AFTER) == []


def test_a_pair_paused_before_the_upgrade_is_paused_since_its_latest_check_in(
    from_empty: Database,
) -> None:
    pair_id = seeded(from_empty)
    with from_empty.unit_of_work() as uow:
        uow.session.get_one(Partnership, pair_id).status = PartnershipStatus.PAUSED
        uow.commit()

    command.downgrade(migrate.alembic_config(from_empty.engine), "0030")
    migrate.upgrade(from_empty.engine)

    assert stored_pauses(from_empty, pair_id) == [[MET.isoformat(), None]]
    resume_partnership(from_empty.unit_of_work(), "T0001", LEARNER, pair_id, RESUMED, request_key="resume")
    assert health(from_empty, AFTER).signals.days_without_meeting == 0
