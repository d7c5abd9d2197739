"""A cohort's end moves later after its pairs were completed: a pair runs again only if both partners have
been in the cohort since it ended. One a partner left after it ended stays completed even once they are
back (erased meanwhile or not); a break, or a return from before the pair began, does not stop it. On
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.partnerships.changes import complete_finished_cohorts
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import join, leave, pause
from tests import factories
from tests.factories import NOW
from tests.integration.test_cohort_end_moved_later import STARTED, coached_pairs, moved_to, states

RUNNING = (PartnershipStatus.ACTIVE, None)
COMPLETED = (PartnershipStatus.ENDED, EndReason.COMPLETED)


def completed_at(db: Database, when: timedelta) -> None:
    with db.unit_of_work() as uow:
        assert complete_finished_cohorts(uow.session, NOW - when) > 0
        uow.commit()


def left_and_back(db: Database, user_id: str, left: timedelta, back: timedelta) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", user_id, NOW - left)
    join(db.unit_of_work(), "T0001", "pgy1", user_id, Role.LEARNER, NOW - back)


def test_a_pair_whose_learner_left_after_the_end_and_came_back_stays_completed_when_the_end_moves_later(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("ran", "back"))
    completed_at(db, timedelta(days=5))
    left_and_back(db, "U0Lback", timedelta(days=3), timedelta(days=2))

    moved_to(db, NOW.date() + timedelta(weeks=4))

    # before: the learner's pair ran again, check-ins and all, though they had left it and nobody chose it
    assert states(db, pairs) == {"ran": RUNNING, "back": COMPLETED}


def test_a_pair_whose_learner_left_was_erased_and_came_back_stays_completed_when_the_end_moves_later(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("ran", "back"))
    completed_at(db, timedelta(days=5))
    leave(db.unit_of_work(), "T0001", "pgy1", "U0Lback", NOW - timedelta(days=4))
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0Lback", NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0Lback", Role.LEARNER, NOW - timedelta(days=2))

    moved_to(db, NOW.date() + timedelta(weeks=4))

    assert states(db, pairs) == {"ran": RUNNING, "back": COMPLETED}


def test_a_pair_whose_learner_is_on_a_break_carries_on_when_the_end_moves_later(db: Database) -> None:
    pairs = coached_pairs(db, ("away",))
    pause(db.unit_of_work(), "T0001", "U0Laway", None, NOW - timedelta(days=20))
    completed_at(db, timedelta(days=5))

    moved_to(db, NOW.date() + timedelta(weeks=4))

    assert states(db, pairs) == {"away": RUNNING}  # the break holds it as before: it was not left


def test_a_learner_who_came_back_before_their_pair_began_keeps_it_when_the_end_moves_later(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("ran",))
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        learner = factories.member(uow.session, cohort, "U0Lagain", at=STARTED + timedelta(weeks=1))
        learner.earlier_stints = [[STARTED.isoformat(), (STARTED + timedelta(days=2)).isoformat()]]
        coach_again = factories.member(uow.session, cohort, "U0Cagain", Role.COACH, at=STARTED)
        pairs["again"] = factories.pair(uow.session, coach_again, learner, started_at=learner.joined_at).id
        uow.commit()
    completed_at(db, timedelta(days=5))

    moved_to(db, NOW.date() + timedelta(weeks=4))

    assert states(db, pairs) == {"ran": RUNNING, "again": RUNNING}


def test_a_pair_completed_twice_carries_on_twice_but_one_left_between_stays_completed_through_both(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("ran", "back"))
    completed_at(db, timedelta(days=8))  # the first end, ten days before NOW, is over everywhere
    left_and_back(db, "U0Lback", timedelta(days=7, hours=12), timedelta(days=7, hours=6))

    moved_to(db, NOW.date() - timedelta(days=5), now=NOW - timedelta(days=7))
    assert states(db, pairs) == {"ran": RUNNING, "back": COMPLETED}
    completed_at(db, timedelta(days=3))  # the second end is over too

    moved_to(db, NOW.date() + timedelta(weeks=4))

    assert states(db, pairs) == {"ran": RUNNING, "back": COMPLETED}
