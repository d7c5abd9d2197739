"""Pausing once a cohort's last day is over in its own time zone, on SQLite and PostgreSQL: `/circles pause`
says the cohort has ended and pauses nothing (no pause span, no status), and a partner's Pause or Resume
button on a pair of it changes nothing and tells nobody (neither the partner nor the facilitators)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.errors import CohortEnded
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, OutboxMessage, Partnership
from circles.services.partnerships.changes import pause_partnership, resume_partnership
from circles.services.people.membership import pause
from tests import factories

LAST_DAY = date(2026, 3, 30)
# 02:00 in London the next day: the cohort's last day is over where it runs, not yet in every zone (its
# pairs are completed at noon UTC), so nothing has ended its pairs yet.
AFTER = datetime(2026, 3, 31, 1, 0, tzinfo=UTC)
ON_THE_LAST_DAY = datetime(2026, 3, 30, 20, 0, tzinfo=UTC)


def ended_programme(db: Database, *, running_too: bool = False) -> int:
    """Cohort `pgy1` (London) ended on LAST_DAY: coach Ada and learner Lee paired, facilitator Fay; with
    `running_too`, Lee is also in `next`, still running. The pair's id."""
    with db.unit_of_work() as uow:
        s = uow.session
        ws = factories.workspace(s)
        co = factories.cohort(s, ws, "pgy1", "PGY-1")
        co.timezone, co.starts_on, co.ends_on = "Europe/London", date(2026, 1, 5), LAST_DAY
        factories.facilitator(s, co, "U0FAY")
        ada = factories.member(s, co, "U0ADA", Role.COACH)
        pair = factories.pair(s, ada, factories.member(s, co, "U0LEE"))
        if running_too:
            factories.member(s, factories.cohort(s, ws, "next", "Next"), "U0LEE")
        uow.commit()
        return pair.id


def lees_memberships(db: Database) -> dict[str, tuple[MemberStatus, object]]:
    with db.reading() as reading:
        rows = reading.session.execute(
            select(Cohort.slug, Member.status, Member.pauses)
            .join(Cohort, Cohort.id == Member.cohort_id)
            .where(Member.slack_user_id == "U0LEE")
        )
        return {slug: (status, pauses) for slug, status, pauses in rows}


def told(db: Database) -> list[str]:
    with db.reading() as reading:
        return list(reading.session.scalars(select(OutboxMessage.idempotency_key)))


def pair_status(db: Database, pair_id: int) -> PartnershipStatus:
    with db.reading() as reading:
        return reading.session.get_one(Partnership, pair_id).status


def test_pause_after_the_last_day_says_the_cohort_has_ended_and_pauses_nothing(db: Database) -> None:
    ended_programme(db)

    with pytest.raises(CohortEnded) as raised:  # before: "Paused until …", a pause span kept
        pause(db.unit_of_work(), "T0001", "U0LEE", 2, AFTER)

    assert raised.value.slugs == ["pgy1"]
    assert lees_memberships(db) == {"pgy1": (MemberStatus.ACTIVE, None)}
    assert told(db) == []


def test_pause_a_month_after_the_last_day_says_the_cohort_has_ended(db: Database) -> None:
    ended_programme(db)

    with pytest.raises(CohortEnded) as raised:  # before: "You are not in any cohort right now."
        pause(db.unit_of_work(), "T0001", "U0LEE", None, AFTER + timedelta(days=30))

    assert raised.value.slugs == ["pgy1"]
    assert lees_memberships(db) == {"pgy1": (MemberStatus.ACTIVE, None)}


def test_pause_after_one_cohorts_last_day_pauses_only_the_cohort_still_running(db: Database) -> None:
    ended_programme(db, running_too=True)

    pause(db.unit_of_work(), "T0001", "U0LEE", 2, AFTER)

    found = lees_memberships(db)
    assert found["pgy1"] == (MemberStatus.ACTIVE, None)
    assert found["next"][0] is MemberStatus.PAUSED


def test_pause_on_the_last_day_itself_still_pauses(db: Database) -> None:
    ended_programme(db)

    pause(db.unit_of_work(), "T0001", "U0LEE", 1, ON_THE_LAST_DAY)

    assert lees_memberships(db)["pgy1"][0] is MemberStatus.PAUSED


def test_pausing_the_partnership_after_the_last_day_changes_nothing_and_tells_nobody(db: Database) -> None:
    pair_id = ended_programme(db)

    with pytest.raises(CohortEnded) as raised:  # before: the coach and the facilitator were told
        pause_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, AFTER, request_key="r1")

    assert raised.value.slugs == ["pgy1"]
    assert pair_status(db, pair_id) is PartnershipStatus.ACTIVE
    assert told(db) == []


def test_resuming_a_paused_partnership_after_the_last_day_changes_nothing_and_tells_nobody(
    db: Database,
) -> None:
    pair_id = ended_programme(db)
    pause_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, ON_THE_LAST_DAY, request_key="r1")
    before = told(db)

    with pytest.raises(CohortEnded):  # before: "running again", to the coach and the facilitator
        resume_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, AFTER, request_key="r2")

    assert pair_status(db, pair_id) is PartnershipStatus.PAUSED
    assert told(db) == before


def archived_programme(db: Database) -> int:
    """`ended_programme`, but archived on the last day instead of over: its pair still shows as it was."""
    pair_id = ended_programme(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort).where(Cohort.slug == "pgy1")).one()
        cohort.ends_on, cohort.archived_at = None, ON_THE_LAST_DAY
        uow.commit()
    return pair_id


def test_an_old_pause_button_of_an_archived_cohort_changes_nothing_and_tells_nobody(db: Database) -> None:
    pair_id = archived_programme(db)

    with pytest.raises(CohortEnded):  # before: paused, the coach and the facilitator told
        pause_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, AFTER, request_key="r1")

    assert pair_status(db, pair_id) is PartnershipStatus.ACTIVE
    assert told(db) == []


def test_an_old_resume_button_of_an_archived_cohort_changes_nothing_and_tells_nobody(db: Database) -> None:
    pair_id = ended_programme(db)
    pause_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, ON_THE_LAST_DAY, request_key="r1")
    before = told(db)
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort)).one().archived_at = ON_THE_LAST_DAY
        uow.commit()

    with pytest.raises(CohortEnded):  # before: "running again", to the coach and the facilitator
        resume_partnership(db.unit_of_work(), "T0001", "U0LEE", pair_id, ON_THE_LAST_DAY, request_key="r2")

    assert pair_status(db, pair_id) is PartnershipStatus.PAUSED
    assert told(db) == before
