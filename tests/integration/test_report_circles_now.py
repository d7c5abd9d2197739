"""A cohort's report after several rounds counts the members still active in its circles now, each once: not
every seat of every round. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.views.report import report_summary
from circles.domain.vocabulary import PairingMode
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort, Member
from circles.services.people.membership import leave, pause
from circles.services.reports import cohort_report, write_report
from tests import factories

MONDAY = datetime(2027, 1, 4, 9, tzinfo=UTC)
LEARNERS = ("U0A", "U0B", "U0C", "U0D", "U0E", "U0F", "U0G")


def day(number: int) -> datetime:
    return MONDAY + timedelta(days=number)


def three_rounds(db: Database) -> None:
    """Round 1 (day 1): circles (A, B, C) and (D, E, F), both dissolved on day 8. Round 2 (day 8): (A, D, E),
    dissolved on day 15, and (B, C, F, G), left as it was. Round 3 (day 15): (A, B, C) and (D, E, F), with A
    seated in the second too. Day 16: E leaves and F pauses. In round 3's circles now: A, B, C and D."""
    with db.unit_of_work() as uow:
        session = uow.session
        cohort = factories.cohort(session, factories.workspace(session), "pgy1", "PGY-1", at=MONDAY)
        cohort.pairing_mode, cohort.starts_on = PairingMode.COACH_LEARNER, MONDAY.date()
        a, b, c, d, e, f, g = (factories.member(session, cohort, user, at=MONDAY) for user in LEARNERS)
        rounds = (
            (1, day(1), [("r1-1", [a, b, c], day(8)), ("r1-2", [d, e, f], day(8))]),
            (2, day(8), [("r2-1", [a, d, e], day(15)), ("r2-2", [b, c, f, g], None)]),
            (3, day(15), [("r3-1", [a, b, c], None), ("r3-2", [d, e, f, a], None)]),
        )
        for number, formed, circles in rounds:
            for name, seated, dissolved in circles:
                made = factories.circle(
                    session, cohort, seated, f"circle-pgy1-{name}", f"C{name}", round_number=number, at=formed
                )
                made.dissolved_at = dissolved
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0E", day(16))
    pause(db.unit_of_work(), "T0001", "U0F", None, day(16))


def test_the_summary_counts_each_member_still_active_in_the_circles_now_once_after_three_rounds(
    db: Database, tmp_path: Path
) -> None:
    three_rounds(db)
    with db.reading() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        assert len(uow.session.scalars(select(Member)).all()) == len(LEARNERS)
        assert len(uow.session.scalars(select(Circle)).all()) == 6
        report = cohort_report(uow.session, cohort, day(20))
    summary = report_summary(report).block_dicts()[1]["text"]["text"]  # type: ignore[index]
    assert "*Circles:* 6 formed, 4 of their members still active; " in summary  # before: 14, every seat
    with db.unit_of_work() as uow:
        files = write_report(uow.session, "T0001", "pgy1", tmp_path, day(20), refresh_health=False)
    lines = files.csv_files["summary"].read_text().splitlines()[1:]
    figures = dict(line.split(",", 1) for line in lines)
    assert (figures["members_active"], figures["circle_members_active"]) == ("5", "4")
