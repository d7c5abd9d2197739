"""Someone Slack gave no time zone, in two cohorts in different zones: a message about one cohort is held
by that cohort's clock, the one it was planned by, never by the other cohort's night; hours they set
themselves stay in the zone Home shows them in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.availability import parse_shift
from circles.domain.availability.own_hours import HoursChoice
from circles.domain.vocabulary import OutboxStatus, Role
from circles.messages import CheckinQuestion, CirclePrompt, CoachDigest, CoachIdea
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, OutboxMessage, Workspace
from circles.services.availability.pattern import availability_of, choose_hours
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.integration.test_stale_held_messages import MONDAY_9, held

# MONDAY_9, 09:00 in London (on UTC in winter), is 01:00 in Los Angeles.
LA, LONDON = "America/Los_Angeles", "Europe/London"


def two_cohorts(db: Database) -> dict[str, Member]:
    """U0ADA, with no time zone of her own, coaches in a Los Angeles cohort (made first) and a London one;
    both keep the default quiet nights. Her memberships, by cohort zone."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        factories.profile(uow.session, ws, "U0ADA")  # Slack gave no time zone
        found: dict[str, Member] = {}
        for zone, slug in ((LA, "la"), (LONDON, "ldn")):
            cohort = factories.cohort(uow.session, ws, slug, slug)
            cohort.timezone = zone
            coach = factories.member(uow.session, cohort, "U0ADA", Role.COACH, flush=False)
            factories.pair(
                uow.session, coach, factories.member(uow.session, cohort, f"U0LEE{slug}", flush=False)
            )
            found[zone] = coach
        uow.commit()
        return found


def idea(db: Database, member: Member) -> str:
    """A session idea for this membership, due at MONDAY_9; its key."""
    prompt = CoachIdea("p1", "Trust", "What helped this week?", None, "PGY-1", 3)
    return held(db, f"coach_idea:{member.id}:2027-01-11", "U0ADA", prompt)


def claimed(db: Database) -> list[str]:
    return sorted(
        row.key for row in claim_due(db.unit_of_work(), MONDAY_9, limit=50, claim_for=timedelta(minutes=5))
    )


def held_until(db: Database, key: str) -> datetime | None:
    with db.unit_of_work() as uow:
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
        return row.due_at if row.status is OutboxStatus.PENDING else None


def test_a_message_about_a_cohort_is_held_by_that_cohorts_clock_not_the_other_cohorts_night(
    db: Database,
) -> None:
    mine = two_cohorts(db)
    question = CheckinQuestion(1, "ldn", "U0LEEldn")
    checkin = held(db, f"checkin:1:{mine[LONDON].id}:2027-01-11", "U0ADA", question)
    london, la = idea(db, mine[LONDON]), idea(db, mine[LA])

    assert claimed(db) == sorted([checkin, london])  # nine in the morning in London
    assert held_until(db, la) == MONDAY_9 + timedelta(hours=6)  # 01:00 in Los Angeles: there at 07:00


def test_a_digest_is_held_by_the_zone_it_was_planned_in_when_the_first_cohort_is_over(db: Database) -> None:
    mine = two_cohorts(db)
    with db.unit_of_work() as uow:
        ended = uow.session.scalars(select(Cohort).where(Cohort.slug == "la")).one()
        ended.ends_on = MONDAY_9.date() - timedelta(days=30)  # over, not archived
        uow.commit()
    digest = held(
        db, "digest:U0ADA:2027-01-11", "U0ADA", CoachDigest(mine[LONDON].id, frozenset(range(5)), ())
    )

    assert claimed(db) == [digest]


def test_working_hours_of_their_own_keep_the_zone_home_shows_them_in(db: Database) -> None:
    london = two_cohorts(db)[LONDON]
    with db.unit_of_work() as uow:
        team = uow.session.scalars(select(Workspace.team_id)).one()
    choose_hours(db.unit_of_work(), team, "U0ADA", HoursChoice(parse_shift("Mon-Fri 08:00-17:00")), MONDAY_9)
    assert availability_of(db.unit_of_work(), team, "U0ADA", MONDAY_9).timezone == LA  # her first cohort's
    key = idea(db, london)

    assert claimed(db) == []  # 01:00 where her hours are
    assert held_until(db, key) == MONDAY_9 + timedelta(hours=7)  # 08:00 in Los Angeles


def test_a_circle_prompt_goes_when_its_members_can_read_it_by_their_circles_clock(db: Database) -> None:
    london = two_cohorts(db)[LONDON]
    with db.unit_of_work() as uow:
        ldn, la = (uow.session.scalars(select(Cohort).where(Cohort.slug == s)).one() for s in ("ldn", "la"))
        factories.member(uow.session, la, "U0BEN")  # also first in Los Angeles, with no zone of his own
        ben = factories.member(uow.session, ldn, "U0BEN")
        members = [uow.session.get(Member, london.id), ben]
        circle = factories.circle(uow.session, ldn, [m for m in members if m is not None], "Oak", "C0OAK")
        uow.commit()
    prompt = CirclePrompt("p1", "Trust", "What helped this week?", None, "ldn", 3)
    key = held(db, f"circle_prompt:{circle.id}:2027-01-11", "C0OAK", prompt)

    assert claimed(db) == [key]  # nine in the morning in London for both
