"""Erasure and a membership of an archived cohort, on SQLite and PostgreSQL: nobody leaves an archived
cohort, so a dated pause taken before it was archived, or a muted digest, still sits on the membership
when its member asks to be erased. Once erased, no membership of theirs, archived or left, keeps when they
paused, until when, or their muted digest; the one in the archived cohort is left as of its archiving."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.services.nudges.digests import mute_nudges
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave, pause
from tests import factories
from tests.factories import NOW

SAM = "U0SAM"
ARCHIVED = NOW + timedelta(days=1)


def sam_paused_then_old_was_archived(db: Database) -> None:
    """Sam coaches in `old` and `new`, mutes the digest and pauses for three weeks; `old` is archived the
    next day with Sam still paused there, and Sam then leaves `new`."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        old, new = (factories.cohort(uow.session, ws, slug, slug.upper()) for slug in ("old", "new"))
        for cohort in (old, new):
            cohort.pairing_mode = PairingMode.COACH_LEARNER
        coach = factories.member(uow.session, old, SAM, Role.COACH)
        factories.member(uow.session, new, SAM, Role.COACH)
        factories.profile(uow.session, ws, SAM)
        uow.commit()
        coach_id = coach.id
    mute_nudges(db.unit_of_work(), "T0001", SAM, coach_id, 2, NOW)
    pause(db.unit_of_work(), "T0001", SAM, 3, NOW)
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort).where(Cohort.slug == "old")).one().archived_at = ARCHIVED
        uow.commit()
    leave(db.unit_of_work(), "T0001", "new", SAM, NOW + timedelta(days=2))


def sams(db: Database) -> dict[str, Member]:
    with db.reading() as reading:
        rows = reading.session.execute(
            select(Cohort.slug, Member).join(Member, Member.cohort_id == Cohort.id)
        ).all()
        return {slug: member for slug, member in rows}


def test_after_erasure_no_membership_keeps_when_sam_paused_until_or_muted_the_digest(db: Database) -> None:
    sam_paused_then_old_was_archived(db)
    assert sams(db)["old"].paused_until is not None  # still paused in the archived cohort

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW + timedelta(days=3)) is True

    found = sams(db)
    for member in found.values():
        assert (member.pauses, member.paused_until, member.nudges_muted_until) == (None, None, None)
    assert {slug: m.status for slug, m in found.items()} == {
        "old": MemberStatus.LEFT,
        "new": MemberStatus.LEFT,
    }
    assert found["old"].left_at is not None
    assert found["old"].left_at.replace(tzinfo=None) == ARCHIVED.replace(tzinfo=None)  # not when erased
