"""Resuming once a cohort's last day is over in its own time zone, on SQLite and PostgreSQL: `/circles
resume` answers as `/circles pause` does, that the cohort has ended, from the same moment (not hours later,
once the day is over everywhere) and for as long after; nothing is resumed and nobody is told. A cohort
still running is resumed as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import CohortEnded, NothingToResume
from circles.persistence.db import Database
from circles.persistence.models import Workspace
from circles.services.people.membership import pause, resume
from tests import factories
from tests.integration.test_pause_after_the_last_day import (
    AFTER,
    ON_THE_LAST_DAY,
    ended_programme,
    lees_memberships,
    told,
)


def paused_on_the_last_day(db: Database, *, running_too: bool = False) -> list[str]:
    """Lee paused (until resumed) while `pgy1` still ran; what had been sent by then."""
    ended_programme(db, running_too=running_too)
    pause(db.unit_of_work(), "T0001", "U0LEE", None, ON_THE_LAST_DAY)
    return told(db)


def test_resume_after_the_last_day_says_the_cohort_has_ended_and_resumes_nothing(db: Database) -> None:
    before = paused_on_the_last_day(db)

    with pytest.raises(CohortEnded) as raised:  # before: "Welcome back! … resume in `pgy1`"
        resume(db.unit_of_work(), "T0001", "U0LEE", AFTER)

    assert raised.value.slugs == ["pgy1"]
    assert lees_memberships(db)["pgy1"][0] is MemberStatus.PAUSED
    assert told(db) == before


def test_resume_a_month_after_the_last_day_says_the_cohort_has_ended(db: Database) -> None:
    paused_on_the_last_day(db)

    with pytest.raises(CohortEnded) as raised:  # before: "You are not in any cohort right now."
        resume(db.unit_of_work(), "T0001", "U0LEE", AFTER + timedelta(days=30))

    assert raised.value.slugs == ["pgy1"]
    assert lees_memberships(db)["pgy1"][0] is MemberStatus.PAUSED


def test_resume_after_the_last_day_when_never_paused_says_the_cohort_has_ended_as_pause_does(
    db: Database,
) -> None:
    ended_programme(db)

    with pytest.raises(CohortEnded) as raised:  # before: "You are not paused anywhere"
        resume(db.unit_of_work(), "T0001", "U0LEE", AFTER)

    assert raised.value.slugs == ["pgy1"]
    assert lees_memberships(db) == {"pgy1": (MemberStatus.ACTIVE, None)}


def test_resume_after_one_cohorts_last_day_resumes_only_the_cohort_still_running(db: Database) -> None:
    paused_on_the_last_day(db, running_too=True)

    assert resume(db.unit_of_work(), "T0001", "U0LEE", AFTER) == ["next"]  # before: pgy1 too

    found = lees_memberships(db)
    assert found["pgy1"][0] is MemberStatus.PAUSED
    assert found["next"][0] is MemberStatus.ACTIVE


def test_resume_paused_only_in_a_cohort_over_says_it_has_ended_not_that_nothing_is_paused(
    db: Database,
) -> None:
    paused_on_the_last_day(db)
    with db.unit_of_work() as uow:  # Lee joins another cohort afterwards, and takes part there
        s = uow.session
        workspace = s.scalars(select(Workspace)).one()
        factories.member(s, factories.cohort(s, workspace, "next", "Next"), "U0LEE")
        uow.commit()

    with pytest.raises(CohortEnded) as raised:
        resume(db.unit_of_work(), "T0001", "U0LEE", AFTER)

    assert raised.value.slugs == ["pgy1"]
    assert lees_memberships(db)["pgy1"][0] is MemberStatus.PAUSED


def test_resume_on_the_last_day_itself_still_resumes(db: Database) -> None:
    paused_on_the_last_day(db)

    assert resume(db.unit_of_work(), "T0001", "U0LEE", ON_THE_LAST_DAY + timedelta(hours=1)) == ["pgy1"]

    assert lees_memberships(db)["pgy1"][0] is MemberStatus.ACTIVE


def test_resume_with_nothing_paused_in_a_cohort_still_running_says_nothing_is_paused(db: Database) -> None:
    with db.unit_of_work() as uow:
        s = uow.session
        factories.member(s, factories.cohort(s, factories.workspace(s), "next", "Next"), "U0LEE", Role.PEER)
        uow.commit()

    with pytest.raises(NothingToResume):
        resume(db.unit_of_work(), "T0001", "U0LEE", AFTER)
