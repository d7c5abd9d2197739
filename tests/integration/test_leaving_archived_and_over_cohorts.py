"""Leaving, pausing, resuming and erasure beside cohorts that are archived or over, on SQLite and
PostgreSQL: an archived cohort is nothing to leave, pause or resume and never keeps someone from being
erased (their data there is erased too); a cohort whose end date has passed is neither paused nor
resumed: someone pausing or resuming with no cohort left running hears it has ended, not a
confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import CohortEnded, CohortNotFound
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, Profile
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave, pause, resume
from tests import factories
from tests.factories import NOW

ANA = "U0ANA"


def in_old_and_new(db: Database) -> None:
    """Ana is in `new` and in `old`, which a facilitator archived without her leaving it."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        old, new = (factories.cohort(uow.session, ws, slug, slug.title()) for slug in ("old", "new"))
        for cohort in (old, new):
            factories.member(uow.session, cohort, ANA, Role.PEER)
        old.archived_at = NOW - timedelta(days=30)
        factories.profile(uow.session, ws, ANA)
        uow.commit()


def only_in_a_cohort_over_a_month_ago(db: Database) -> None:
    with db.unit_of_work() as uow:
        old = factories.cohort(uow.session, factories.workspace(uow.session), "old", "Old")
        old.starts_on, old.ends_on = (NOW - timedelta(weeks=20)).date(), (NOW - timedelta(days=30)).date()
        factories.member(uow.session, old, ANA, Role.PEER)
        uow.commit()


def statuses(db: Database) -> dict[str, MemberStatus]:
    with db.reading() as reading:
        rows = reading.session.execute(
            select(Cohort.slug, Member.status).join(Cohort, Cohort.id == Member.cohort_id)
        )
        return {slug: status for slug, status in rows}


def test_leave_without_a_cohort_leaves_the_only_one_running_not_asking_which_beside_an_archived_one(
    db: Database,
) -> None:
    in_old_and_new(db)

    left = leave(db.unit_of_work(), "T0001", None, ANA, NOW)  # before: WhichCohort(['new', 'old'])

    assert left.slug == "new"
    with pytest.raises(CohortNotFound):  # an archived cohort cannot be named, so it is never suggested
        leave(db.unit_of_work(), "T0001", "old", ANA, NOW)


def test_someone_who_left_every_running_cohort_can_be_erased_and_their_archived_membership_with_it(
    db: Database,
) -> None:
    in_old_and_new(db)
    pause(db.unit_of_work(), "T0001", ANA, None, NOW - timedelta(days=2))
    leave(db.unit_of_work(), "T0001", "new", ANA, NOW)

    assert erase_personal_data(db.unit_of_work(), "T0001", ANA, NOW) is True  # before: refused

    with db.reading() as reading:
        assert reading.session.scalars(select(Profile)).all() == []
        members = reading.session.scalars(select(Member)).all()
        assert [m.pauses for m in members] == [None, None]  # when she paused, in the archived one too
        assert all(m.erased_before is not None for m in members)


def test_erasure_is_still_refused_while_someone_is_in_a_running_cohort_beside_an_archived_one(
    db: Database,
) -> None:
    in_old_and_new(db)

    assert erase_personal_data(db.unit_of_work(), "T0001", ANA, NOW) is False


def test_pause_and_resume_leave_an_archived_cohort_as_it_was_and_resume_names_only_the_running_one(
    db: Database,
) -> None:
    in_old_and_new(db)

    pause(db.unit_of_work(), "T0001", ANA, 2, NOW)
    assert statuses(db) == {"old": MemberStatus.ACTIVE, "new": MemberStatus.PAUSED}

    assert resume(db.unit_of_work(), "T0001", ANA, NOW + timedelta(days=1)) == ["new"]  # before: old too


def test_pause_in_a_cohort_over_a_month_ago_says_it_has_ended_rather_than_paused_until(db: Database) -> None:
    only_in_a_cohort_over_a_month_ago(db)

    with pytest.raises(CohortEnded) as raised:  # before: "Paused until …"
        pause(db.unit_of_work(), "T0001", ANA, 2, NOW)

    assert raised.value.slugs == ["old"]  # "`old` has come to its end, so there is nothing to pause …"
    assert statuses(db) == {"old": MemberStatus.ACTIVE}


def test_resume_in_a_cohort_over_a_month_ago_welcomes_nobody_back(db: Database) -> None:
    only_in_a_cohort_over_a_month_ago(db)
    with db.unit_of_work() as uow:  # paused there before it ended
        member = uow.session.scalars(select(Member)).one()
        member.status, member.pauses = MemberStatus.PAUSED, [[(NOW - timedelta(days=40)).isoformat(), None]]
        uow.commit()

    with pytest.raises(CohortEnded) as raised:  # before: "Welcome back! … resume in `old`"
        resume(db.unit_of_work(), "T0001", ANA, NOW)

    assert raised.value.slugs == ["old"]  # as pause says it; not "You are not in any cohort right now."
    assert statuses(db) == {"old": MemberStatus.PAUSED}


def test_pause_still_reaches_a_cohort_whose_last_day_is_not_over_everywhere_yet(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "old", "Old")
        cohort.ends_on = NOW.date()  # its check-ins can still reach a partner in a zone behind
        factories.member(uow.session, cohort, ANA, Role.PEER)
        uow.commit()

    pause(db.unit_of_work(), "T0001", ANA, 1, NOW)

    assert statuses(db) == {"old": MemberStatus.PAUSED}
