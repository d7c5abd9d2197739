"""A pause given an end date (`/circles pause 2`) ends by itself on that date, everywhere at once: the
member's check-ins are asked and sent, a coach's digest comes, the directory and requests take them, a
round pairs them, and status, Home and reports count them as active, though nothing stored changes until
they next pause or resume. One still running is still a pause. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, Member
from circles.services.matching.rounds import preview_round
from circles.services.nudges.digests import digest_now
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.requests import accept_request
from circles.services.people.directory import directory
from circles.services.people.status import cohorts_run_by, my_status
from circles.services.planning import plan
from circles.services.reports.build import cohort_reports
from tests import factories
from tests.factories import NOW
from tests.integration import planning_world as world
from tests.integration.test_directory import ask, pair, seed

LATER = NOW + timedelta(days=30)


def pause(db: Database, user_id: str, until: datetime | None) -> None:
    """As `/circles pause` leaves them: paused with that end date (None: until they resume)."""
    with db.unit_of_work() as uow:
        for member in uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)):
            member.status, member.paused_until = MemberStatus.PAUSED, until
            member.pauses = [[(NOW - timedelta(days=1)).isoformat(), None]]
        uow.commit()


def test_the_check_in_of_a_learner_whose_dated_pause_ended_is_asked_and_kept(db: Database) -> None:
    monday = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)
    with db.unit_of_work() as uow:
        cohort = world.cohort(uow.session, world.workspace(uow.session))
        back = world.member(
            uow.session, cohort, "U0BACK", status=MemberStatus.PAUSED, paused_until=monday - timedelta(days=1)
        )
        world.pair(uow.session, world.member(uow.session, cohort, "U0COACH", Role.COACH), back)
        plan(uow.session, monday, grace=world.GRACE, look_back=world.GRACE)
        uow.commit()
    claimed = claim_due(
        db.unit_of_work(), monday + timedelta(minutes=31), limit=50, claim_for=timedelta(minutes=5)
    )
    asked = {row.channel for row in claimed if row.key.startswith("checkin:")}
    assert asked == {"U0BACK", "U0COACH"}  # before, theirs was dropped at claim, every week
    with db.reading() as reading:
        assert {c.member_id for c in reading.session.scalars(select(CheckIn))} == {back.id, back.id + 1}


def test_a_coach_whose_dated_pause_ended_gets_their_digest_and_one_still_paused_does_not(
    db: Database,
) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session))
        for n in range(3):
            coach = factories.member(uow.session, cohort, f"U0COACH{n}", Role.COACH)
            factories.pair(
                uow.session, coach, factories.member(uow.session, cohort, f"U0LEARN{n}"), started_at=NOW
            )
        uow.commit()
    pause(db, "U0COACH1", NOW + timedelta(days=1))  # long over by LATER
    pause(db, "U0COACH2", LATER + timedelta(days=7))  # still running

    def nudged(user_id: str) -> list[str | None]:
        sections = digest_now(db.unit_of_work(), "T0001", user_id, LATER)
        return [nudge.partner_user_id for section in sections for nudge in section.nudges]

    assert nudged("U0COACH0") == ["U0LEARN0"]
    assert nudged("U0COACH1") == ["U0LEARN1"]
    assert nudged("U0COACH2") == []


def test_a_learner_and_a_coach_back_from_dated_pauses_find_ask_and_accept_each_other(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    pause(db, "U0LEARN", NOW - timedelta(days=1))
    pause(db, "U0ADA", NOW - timedelta(hours=1))
    pause(db, "U0BOB", NOW + timedelta(days=7))  # still away: not listed

    found = directory(db.unit_of_work(), "T0001", "U0LEARN", None, now=NOW)
    assert found.paused is False
    assert [(entry.user_id, entry.can_request) for entry in found.entries] == [("U0ADA", True)]
    request = ask(db, "U0LEARN", "U0ADA")
    accept_request(db.unit_of_work(), "T0001", "U0ADA", request, NOW)
    [learner] = my_status(db.unit_of_work(), "T0001", "U0LEARN", NOW)
    assert [p.partner_user_id for p in learner.partners] == ["U0ADA"]


def test_status_home_and_the_report_count_a_member_back_from_a_dated_pause_as_active(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0STILL=Role.LEARNER, U0ADA=Role.COACH)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.get_one(Cohort, ids.cohort), "U0FAC")
        uow.commit()
    pause(db, "U0LEARN", NOW + timedelta(days=1))
    pause(db, "U0STILL", LATER + timedelta(days=1))

    [back] = my_status(db.unit_of_work(), "T0001", "U0LEARN", LATER)
    assert (back.status, back.paused_until) == (MemberStatus.ACTIVE, None)
    [still] = my_status(db.unit_of_work(), "T0001", "U0STILL", LATER)
    assert still.status is MemberStatus.PAUSED
    [run] = cohorts_run_by(db.unit_of_work(), "T0001", "U0FAC", LATER)
    assert (run.active(Role.LEARNER), run.counts[(Role.LEARNER, MemberStatus.PAUSED)]) == (1, 1)
    with db.reading() as reading:
        [report] = cohort_reports(reading.session, [reading.session.get_one(Cohort, ids.cohort)], LATER)
    learners = {count.role: count for count in report.members}[Role.LEARNER]
    assert (learners.active, learners.paused) == (1, 1)


def test_a_round_pairs_a_learner_back_from_a_dated_pause_and_not_one_still_paused(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0STILL=Role.LEARNER, U0ADA=Role.COACH, U0BOB=Role.COACH)
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, ids.cohort)
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, "U0FAC")
        uow.commit()
    pair(db, ids, "U0BOB", "U0STILL", PartnershipStatus.ENDED)
    pause(db, "U0LEARN", NOW - timedelta(days=2))
    pause(db, "U0STILL", NOW + timedelta(days=2))

    proposed = preview_round(
        db.unit_of_work(), "T0001", "pgy1-spring", user_id="U0FAC", is_admin=False, now=NOW
    )
    learners = {pair["second"] for pair in proposed.plan["pairs"]}
    assert ids.members["U0LEARN"] in learners
    assert ids.members["U0STILL"] not in learners
