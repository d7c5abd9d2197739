"""A partner's declared break (`/circles pause`) never counts against their pair, as time away does not:
no check-in reaches either of them then, so its days are no days without meeting, the coach's digest
does not count them, the facilitators are not called for it, and once back the count goes on from the
return."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.nudges import NudgeKind
from circles.domain.vocabulary import PairingMode, Role
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.persistence.db import Database
from circles.persistence.models import Escalation, Member
from circles.services.health.recompute import PartnershipHealth, recompute
from circles.services.health.watch import watch
from circles.services.nudges.digests import digest_now
from circles.services.people.membership import join, leave, pause, resume
from tests import factories

T0 = factories.NOW  # the pair starts; check-ins every week
MET = T0 + timedelta(days=7)  # both report a meeting
QUIET = T0 + timedelta(days=14)  # both answer, no meeting this time
PAUSED = T0 + timedelta(days=15)  # the learner pauses for 4 weeks, back on day 43
THREE_WEEKS_ON = PAUSED + timedelta(weeks=3)
COACH, LEARNER, FACILITATOR = "U0COACH", "U0LEARN", "U0FAC"


def seeded(db: Database) -> None:
    """A coach and a learner checking in weekly, who met a week in; the facilitators are called as soon as
    the pair needs attention once."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws, "pgy1")
        cohort.checkin_every_weeks = 1
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        cohort.health_thresholds = {"attention_checkins_before_escalation": 1}
        factories.facilitator(uow.session, cohort, FACILITATOR)
        coach = factories.member(uow.session, cohort, COACH, Role.COACH)
        learner = factories.member(uow.session, cohort, LEARNER, Role.LEARNER)
        pair = factories.partnership(uow.session, COACH, LEARNER)
        for person in (coach, learner):
            uow.session.add(factories.checkin(pair, person.id, MET, 4, met=True))
            uow.session.add(factories.checkin(pair, person.id, QUIET, 4, met=False))
        uow.commit()


def health(db: Database, now: datetime) -> PartnershipHealth:
    with db.unit_of_work() as uow:
        [found] = recompute(uow.session, now, record=False)
        return found


def watched(db: Database, now: datetime) -> None:
    with db.unit_of_work() as uow:
        watch(uow.session, now, admins={"U0ADMIN"})
        uow.commit()


def escalations(db: Database) -> int:
    with db.unit_of_work() as uow:
        return len(uow.session.scalars(select(Escalation.id)).all())


def no_meeting_nudges(db: Database, now: datetime) -> list[int]:
    sections = digest_now(db.unit_of_work(), "T0001", COACH, now)
    return [n.count for s in sections for n in s.nudges if n.kind is NudgeKind.NO_MEETING]


def test_three_weeks_into_a_learners_pause_the_pair_has_only_the_days_before_it(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, 4, PAUSED)
    found = health(db, THREE_WEEKS_ON)
    # A meeting on day 7 (answered 3 hours on), the pause from day 15: 7 whole days, then the break.
    assert found.signals.days_without_meeting == 7
    assert found.state is State.THRIVING
    assert found.signals.first.missed_in_a_row == found.signals.second.missed_in_a_row == 0


def test_the_coachs_digest_does_not_count_the_days_of_a_learners_pause(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, 4, PAUSED)
    assert no_meeting_nudges(db, THREE_WEEKS_ON) == []


def test_no_escalation_is_opened_for_a_pair_on_a_declared_break(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, None, PAUSED)
    for day in range(1, 36):
        watched(db, PAUSED + timedelta(days=day))
    assert escalations(db) == 0


def test_after_a_resume_the_days_without_meeting_go_on_from_the_return(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, 4, PAUSED)
    back = PAUSED + timedelta(weeks=3)
    resume(db.unit_of_work(), "T0001", LEARNER, back)
    # Four days back, before the next check-in: the 7 days before the break and the 4 since.
    assert health(db, back + timedelta(days=4)).signals.days_without_meeting == 11
    assert no_meeting_nudges(db, back + timedelta(days=4)) == []
    # Still no meeting 14 days after the return: 21 days counted, and the coach is told.
    assert health(db, back + timedelta(days=14)).signals.days_without_meeting == 21
    assert no_meeting_nudges(db, back + timedelta(days=14)) == [21]


def test_a_dated_pause_that_ran_out_counts_from_its_end(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, 4, PAUSED)
    ended = PAUSED + timedelta(weeks=4)
    assert health(db, ended + timedelta(days=3)).signals.days_without_meeting == 10


def test_a_second_pause_leaves_out_the_first_as_well(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, 2, PAUSED)
    again = PAUSED + timedelta(weeks=2, days=2)  # back for two days after the first ran out
    pause(db.unit_of_work(), "T0001", LEARNER, 2, again)
    assert health(db, again + timedelta(days=7)).signals.days_without_meeting == 9


def test_a_pause_ended_by_leaving_is_not_stretched_over_the_time_after_rejoining(db: Database) -> None:
    seeded(db)
    pause(db.unit_of_work(), "T0001", LEARNER, None, PAUSED)
    leave(db.unit_of_work(), "T0001", "pgy1", LEARNER, PAUSED + timedelta(days=5))
    rejoined = PAUSED + timedelta(days=7)
    join(db.unit_of_work(), "T0001", "pgy1", LEARNER, Role.LEARNER, rejoined)
    with db.unit_of_work() as uow:
        coach, learner = (
            uow.session.scalars(select(Member).where(Member.slack_user_id == user)).one()
            for user in (COACH, LEARNER)
        )
        factories.pair(uow.session, coach, learner, started_at=rejoined)
        uow.commit()
    pause(db.unit_of_work(), "T0001", LEARNER, 1, rejoined + timedelta(days=18))
    # The new pair ran 18 days before this pause; the first one, ended by the leave, holds nothing.
    assert health(db, rejoined + timedelta(days=20)).signals.days_without_meeting == 18
