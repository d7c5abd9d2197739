"""Erasure and a member's own pauses, on SQLite and PostgreSQL: when someone took a break (sick leave, a
family matter) is theirs, as their away blocks are. Once they have left and asked to be erased, no
membership of theirs keeps when they paused; their partner's pauses stay, and the cohort's figures still
count them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Member
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave, pause, resume
from circles.services.reports.build import report_for
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW

SAM, LEARNER, FAC = "U0SAM", "U0LEARN", "U0FAC"


def sam_took_breaks(db: Database) -> None:
    """Sam coaches in pgy1 and is coached in faculty; Sam paused twice (once resumed), the learner once."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        pgy1, faculty = (
            factories.cohort(uow.session, ws, slug, slug.upper()) for slug in ("pgy1", "faculty")
        )
        for cohort in (pgy1, faculty):
            cohort.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(uow.session, cohort, FAC, flush=False)
        coach = factories.member(uow.session, pgy1, SAM, Role.COACH)
        factories.member(uow.session, faculty, SAM, Role.LEARNER)
        factories.pair(uow.session, coach, factories.member(uow.session, pgy1, LEARNER, Role.LEARNER))
        uow.commit()
    pause(db.unit_of_work(), "T0001", SAM, 2, NOW)
    resume(db.unit_of_work(), "T0001", SAM, NOW + timedelta(days=3))
    pause(db.unit_of_work(), "T0001", LEARNER, None, NOW + timedelta(days=4))
    pause(db.unit_of_work(), "T0001", SAM, None, NOW + timedelta(days=5))
    for slug in ("pgy1", "faculty"):
        leave(db.unit_of_work(), "T0001", slug, SAM, NOW + timedelta(days=6))


def pauses_of(db: Database, user_id: str) -> list[list[list[str | None]] | None]:
    with db.unit_of_work() as uow:
        members = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).all()
        return [m.pauses for m in members]


def test_after_erasure_no_membership_keeps_when_sam_paused_and_the_learners_pauses_stay(db: Database) -> None:
    sam_took_breaks(db)
    assert all(pauses_of(db, SAM))  # kept while Sam was a member

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    assert [p for p in pauses_of(db, SAM) if p] == []
    [learners] = pauses_of(db, LEARNER)
    assert len(learners or []) == 1


def test_the_cohorts_report_still_counts_an_erased_coach_who_had_paused(db: Database) -> None:
    sam_took_breaks(db)
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    report = report_for(
        db.unit_of_work(),
        "T0001",
        FAC,
        "pgy1",
        NOW + timedelta(days=7),
        is_admin=False,
        individual=False,
        decrypt=w.unseal,
    )

    coaches = next(count for count in report.members if count.role is Role.COACH)
    assert coaches.left == 1
    assert (report.endings.member_left, report.endings.active) == (1, 0)
