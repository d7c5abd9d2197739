"""A watch costs what is due: new signals and the clock's own changes, never the size of the installation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Escalation, HealthRecord, Member, OutboxMessage, Partnership
from circles.services.checkins import answers as checkins
from circles.services.checkins.opening import open_checkin
from circles.services.health.boards import board, boards_run_by
from circles.services.health.watch import WatchSummary, watch
from tests import factories
from tests.databases import counted

T0 = factories.NOW
SETTLED = T0 + timedelta(days=2)  # every pair has been looked at once
FACILITATOR = "U0FAC"


def installation(db: Database, team: str, pairs: int, *, rocky: int = 0) -> list[int]:
    """A workspace with one cohort of coach–learner pairs, each answered once a day after it started.

    Pair k reported a meeting k hours after the first, so their meetings age at different instants;
    the first `rocky` pairs have a learner who rated it 2.
    """
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team)
        cohort = factories.cohort(uow.session, ws, "pgy1")
        factories.facilitator(uow.session, cohort, FACILITATOR, flush=False)
        people = [
            (
                factories.member(uow.session, cohort, f"{team}C{n}", Role.COACH, flush=False),
                factories.member(uow.session, cohort, f"{team}L{n}", Role.LEARNER, flush=False),
            )
            for n in range(pairs)
        ]
        uow.session.flush()
        made = [factories.pair(uow.session, coach, learner, flush=False) for coach, learner in people]
        uow.session.flush()
        for n, ((coach, learner), pair) in enumerate(zip(people, made, strict=True)):
            due, later = T0 + timedelta(days=1), timedelta(hours=3 + n)
            for member, rating in ((coach.id, 4), (learner.id, 2 if n < rocky else 4)):
                uow.session.add(factories.checkin(pair, member, due, rating, after=later, met=True))
        uow.commit()
        return [pair.id for pair in made]


def watched(db: Database, now: datetime, *, full: bool = False) -> WatchSummary:
    with db.unit_of_work() as uow:
        summary = watch(uow.session, now, admins={"U0ADMIN"}, full=full)
        uow.commit()
        return summary


def history_rows(db: Database) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(HealthRecord)) or 0


def escalated(db: Database) -> list[int]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(Escalation.partnership_id).order_by(Escalation.id)))


def alerted(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage.channel).where(OutboxMessage.payload["template"].as_string() == "escalation")
        )
        return sorted(channel or "" for channel in rows)


def test_a_watch_with_nothing_due_takes_the_same_few_statements_for_ten_times_the_pairs(db: Database) -> None:
    installation(db, "T0001", 3, rocky=1)
    assert watched(db, SETTLED).recomputed == 3
    with counted(db) as small:
        idle = watched(db, SETTLED + timedelta(hours=1))
    assert (idle.recomputed, idle.partnerships, idle.escalations_opened) == (0, 3, 0)

    for n in range(2, 11):
        installation(db, f"T{n:04d}", 3, rocky=1)
    assert watched(db, SETTLED + timedelta(hours=2)).recomputed == 27
    with counted(db) as large:
        idle = watched(db, SETTLED + timedelta(hours=3))
    assert (idle.recomputed, idle.partnerships, idle.escalations_opened) == (0, 30, 0)
    assert len(small) == len(large) <= 8
    assert not [s for s in large if s.lstrip().upper().startswith(("INSERT", "DELETE"))]


def test_an_answered_check_in_makes_only_its_pair_recomputed_and_escalated(db: Database) -> None:
    pairs = installation(db, "T0001", 4)
    watched(db, SETTLED)
    due = SETTLED + timedelta(days=1)
    with db.unit_of_work() as uow:  # the next check-in, planned ahead for the second pair only
        pair = uow.session.get_one(Partnership, pairs[1])
        for member in (pair.first_member_id, pair.second_member_id):
            uow.session.add(
                CheckIn(workspace_id=pair.workspace_id, partnership_id=pair.id, member_id=member, due_at=due)
            )
        uow.commit()
    assert watched(db, due - timedelta(minutes=1)).recomputed == 0  # planned, not yet due
    assert watched(db, due + timedelta(minutes=1)).recomputed == 1  # due: seen once, unanswered yet
    assert watched(db, due + timedelta(minutes=2)).recomputed == 0
    for user in ("T0001C1", "T0001L1"):
        answer(db, user, pairs[1], CheckInAnswer(rating=1, met=False), due + timedelta(hours=1))
    after = watched(db, due + timedelta(hours=2))
    assert (after.recomputed, after.escalations_opened, after.needing_care) == (1, 1, 1)
    assert escalated(db) == [pairs[1]]
    assert alerted(db) == [FACILITATOR]


def test_a_support_request_at_a_check_in_alerts_the_facilitators_at_the_next_watch(db: Database) -> None:
    pairs = installation(db, "T0001", 3)
    watched(db, SETTLED)
    with db.unit_of_work() as uow:  # the learner of the last pair opens a check-in with /circles checkin
        open_checkin(uow, "T0001", "T0001L2", SETTLED + timedelta(hours=1))
    answer(db, "T0001L2", pairs[2], CheckInAnswer(rating=2, wants_support=True), SETTLED + timedelta(hours=1))
    after = watched(db, SETTLED + timedelta(hours=2))
    assert (after.recomputed, after.escalations_opened) == (1, 1)
    assert escalated(db) == [pairs[2]]


def test_time_crossing_a_threshold_recomputes_that_pair_at_that_moment_and_escalates_as_before(
    db: Database,
) -> None:
    pairs = installation(db, "T0001", 3, rocky=1)  # the first pair's learner rated it 2: needs attention
    first = watched(db, SETTLED)
    assert (first.needing_care, first.escalations_opened) == (1, 0)
    history_before = history_rows(db)
    # The first pair reported its meeting at T0 + 1 day + 3 hours: 21 days later it counts as silence,
    # and a low rating with silence is struggling.
    crossing = T0 + timedelta(days=22, hours=3)
    assert watched(db, crossing - timedelta(minutes=1)).recomputed == 0
    at = watched(db, crossing + timedelta(minutes=1))
    assert (at.recomputed, at.escalations_opened) == (1, 1)
    assert escalated(db) == [pairs[0]]
    assert history_rows(db) == history_before + 1
    # The second pair's meeting, an hour later, ages an hour later; it is steady, so nothing opens.
    later = watched(db, crossing + timedelta(hours=1, minutes=1))
    assert (later.recomputed, later.escalations_opened) == (1, 0)
    assert later.needing_care == 2


def test_a_full_pass_recomputes_every_active_pair_and_finds_the_same(db: Database) -> None:
    installation(db, "T0001", 5, rocky=2)
    watched(db, SETTLED)
    rows = history_rows(db)
    full = watched(db, SETTLED + timedelta(hours=1), full=True)
    assert (full.recomputed, full.needing_care, full.escalations_opened) == (5, 2, 0)
    assert history_rows(db) == rows


def test_opening_the_board_or_home_writes_no_health_history(db: Database) -> None:
    installation(db, "T0001", 3, rocky=1)
    with counted(db) as statements:
        shown = board(db.unit_of_work(), "T0001", FACILITATOR, "pgy1", SETTLED)
        [home] = boards_run_by(db.unit_of_work(), "T0001", FACILITATOR, SETTLED)
    # A reading unit refuses any write (read-only on PostgreSQL, query_only on SQLite): both open in one.
    assert board(db.reading(), "T0001", FACILITATOR, "pgy1", SETTLED).counts == shown.counts
    assert boards_run_by(db.reading(), "T0001", FACILITATOR, SETTLED)[0].counts == home.counts
    assert shown.counts[State.NEEDS_ATTENTION] == home.counts[State.NEEDS_ATTENTION] == 1
    assert [row.trend[0].since for row in shown.rows] == [SETTLED] * 3  # shown as of now, not stored
    assert history_rows(db) == 0
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def answer(db: Database, user: str, pair_id: int, given: CheckInAnswer, now: datetime) -> None:
    """The person answers their newest open check-in of this pair through the service."""
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member.id).where(Member.slack_user_id == user)).one()
        checkin_id = uow.session.scalars(
            select(CheckIn.id)
            .where(CheckIn.partnership_id == pair_id, CheckIn.member_id == member)
            .order_by(CheckIn.due_at.desc())
            .limit(1)
        ).one()
    checkins.answer(db.unit_of_work(), "T0001", user, checkin_id, given, now, cipher=None)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_watches_at_the_same_moment_share_the_due_pairs_rather_than_both_recompute_them(
    database_url: str, db: Database
) -> None:
    installation(db, "T0001", 4, rocky=2)
    with db.unit_of_work() as first, db.unit_of_work() as second:
        mine = watch(first.session, SETTLED, admins=set())
        theirs = watch(second.session, SETTLED, admins=set())  # the first has not committed yet
        first.commit()
        second.commit()
    assert (mine.recomputed, theirs.recomputed) == (4, 0)
    assert history_rows(db) == 4
