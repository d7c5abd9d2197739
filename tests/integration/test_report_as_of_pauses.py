"""A report as of an earlier instant (`--now`) shows circles, pauses and paused pairs as they stood then:
no circle formed later, no dissolving, leave, pause or resume that came later, and a prompt delivered
later still waiting. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort, Member, OutboxMessage
from circles.services.partnerships.changes import pause_partnership, resume_partnership
from circles.services.people.membership import leave, pause, resume
from circles.services.reports import Report, cohort_report
from tests import factories
from tests.databases import counted

MONDAY = datetime(2027, 1, 4, 9, tzinfo=UTC)
LEARNERS = ("U0A", "U0B", "U0C", "U0D", "U0E", "U0F")


def day(number: int, hours: int = 0) -> datetime:
    return MONDAY + timedelta(days=number, hours=hours)


def report(db: Database, at: datetime) -> Report:
    with db.reading() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        return cohort_report(uow.session, cohort, at)


def circles_of(found: Report) -> dict[str, tuple[object, ...]]:
    """Each circle listed: (dissolved on, active, paused, left, sent, waiting)."""
    return {
        row.name: (row.dissolved_on, row.active, row.paused, row.left, row.prompts_sent, row.prompts_waiting)
        for row in found.circles
    }


def people(found: Report) -> dict[Role, tuple[int, int, int]]:
    return {count.role: (count.active, count.paused, count.left) for count in found.members}


def a_term(db: Database) -> int:
    """A cohort's first fortnight, each step at a known instant; returns the coach's pair.

    Day 1: round 1 forms circles one (A, B, C) and two (D, E, F); coach K is paired with A; circle two's
    prompt falls due on day 2 and is delivered on day 4, 3 pm. Day 3: B pauses; day 5: B resumes. Day 6: the
    pair pauses. Day 8: round 2 forms circle three (A, B, D); circle one is dissolved. Day 9: D pauses for a
    week. Day 10: the pair resumes. Day 12: E leaves and F pauses, for as long as it takes.
    """
    with db.unit_of_work() as uow:
        session = uow.session
        cohort = factories.cohort(session, factories.workspace(session), "pgy1", "PGY-1")
        cohort.pairing_mode, cohort.created_at, cohort.starts_on = (
            PairingMode.COACH_LEARNER,
            MONDAY,
            MONDAY.date(),
        )
        coach = factories.member(session, cohort, "U0K", Role.COACH, at=MONDAY)
        found = {user: factories.member(session, cohort, user, at=MONDAY) for user in LEARNERS}
        seats = [found[user] for user in LEARNERS]
        factories.circle(session, cohort, seats[:3], "one", "C1", at=day(1))
        two = factories.circle(session, cohort, seats[3:6], "two", "C2", at=day(1))
        pairing = factories.pair(session, coach, found["U0A"], started_at=day(1))
        session.add(
            OutboxMessage(
                workspace_id=cohort.workspace_id,
                idempotency_key=f"circle_prompt:{two.id}:2027-01-06",
                method="chat.postMessage",
                channel="C2",
                payload={"template": "circle_prompt", "args": {}},
                status=OutboxStatus.SENT,
                due_at=day(2),
                sent_at=day(4, 6),
                created_at=day(1),
            )
        )
        uow.commit()
        pair_id = pairing.id
    pause(db.unit_of_work(), "T0001", "U0B", None, day(3))
    resume(db.unit_of_work(), "T0001", "U0B", day(5))
    pause_partnership(db.unit_of_work(), "T0001", "U0A", pair_id, day(6), request_key=factories.request_key())
    with db.unit_of_work() as uow:
        session = uow.session
        cohort = session.scalars(select(Cohort)).one()
        mine = {m.slack_user_id: m for m in session.scalars(select(Member))}
        factories.circle(session, cohort, [mine["U0A"], mine["U0B"], mine["U0D"]], "three", "C3", at=day(8))
        session.scalars(select(Circle).where(Circle.name == "one")).one().dissolved_at = day(8)
        uow.commit()
    pause(db.unit_of_work(), "T0001", "U0D", 1, day(9))
    resume_partnership(
        db.unit_of_work(), "T0001", "U0A", pair_id, day(10), request_key=factories.request_key()
    )
    leave(db.unit_of_work(), "T0001", "pgy1", "U0E", day(12))
    pause(db.unit_of_work(), "T0001", "U0F", None, day(12))
    return pair_id


def test_the_circles_section_as_of_an_earlier_instant_shows_only_circles_formed_by_then_as_they_stood(
    db: Database,
) -> None:
    a_term(db)
    assert circles_of(report(db, day(4))) == {
        "one": (None, 2, 1, 0, 0, 0),  # B paused then, circle one not dissolved yet
        "two": (None, 3, 0, 0, 0, 1),  # its prompt was due, delivered only later: waiting then
    }
    assert circles_of(report(db, day(7))) == {
        "one": (None, 3, 0, 0, 0, 0),  # B back
        "two": (None, 3, 0, 0, 1, 0),
    }
    dissolved = day(8).date()
    assert circles_of(report(db, day(11))) == {
        "one": (dissolved, 3, 0, 0, 0, 0),
        "two": (None, 2, 1, 0, 1, 0),  # D paused, E not gone yet
        "three": (None, 2, 1, 0, 0, 0),
    }
    assert circles_of(report(db, day(13))) == {
        "one": (dissolved, 3, 0, 0, 0, 0),
        "two": (None, 0, 2, 1, 1, 0),  # E gone, F paused
        "three": (None, 2, 1, 0, 0, 0),
    }
    assert circles_of(report(db, day(17)))["two"] == (None, 1, 1, 1, 1, 0)  # D's week of pause is over


def test_members_and_pairs_as_of_an_earlier_instant_are_paused_only_if_they_were_then(db: Database) -> None:
    a_term(db)
    at_day_4, at_day_7, at_day_11 = (report(db, day(number)) for number in (4, 7, 11))
    assert people(at_day_4) == {Role.COACH: (1, 0, 0), Role.LEARNER: (5, 1, 0)}  # B, not D yet
    assert people(at_day_7) == {Role.COACH: (1, 0, 0), Role.LEARNER: (6, 0, 0)}
    assert people(at_day_11) == {Role.COACH: (1, 0, 0), Role.LEARNER: (5, 1, 0)}  # D
    assert people(report(db, day(13))) == {Role.COACH: (1, 0, 0), Role.LEARNER: (3, 2, 1)}
    assert people(report(db, day(40))) == {Role.COACH: (1, 0, 0), Role.LEARNER: (4, 1, 1)}  # F still
    assert (at_day_4.endings.active, at_day_4.endings.paused) == (1, 0)
    assert (at_day_7.endings.active, at_day_7.endings.paused) == (0, 1)
    assert (at_day_11.endings.active, at_day_11.endings.paused) == (1, 0)


def test_a_report_as_of_an_earlier_instant_reads_as_many_statements_for_a_bigger_cohort(db: Database) -> None:
    a_term(db)
    with counted(db) as small:
        report(db, day(11))
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        extra = [
            factories.member(uow.session, cohort, f"U0X{n:03d}", at=MONDAY, flush=False) for n in range(60)
        ]
        uow.session.flush()
        for start in range(0, 60, 4):
            factories.circle(
                uow.session, cohort, extra[start : start + 4], f"x{start}", f"CX{start}", at=day(8)
            )
        uow.commit()
    with counted(db) as big:
        report(db, day(11))
    assert len(big) == len(small)
