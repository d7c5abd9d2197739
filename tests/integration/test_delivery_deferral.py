"""Claiming holds personal messages back until their person's window and sends one catch-up, on SQLite and
PostgreSQL, in a fixed number of statements per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from circles.domain.availability import AbsenceKind, WorkPattern, parse_shift
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import MemberStatus, OutboxStatus, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, CheckIn, Member, OutboxMessage, Partnership, Workspace
from circles.services.availability.away import go_away
from circles.services.outbox.queue import claim_due
from circles.services.planning import expire_overdue
from tests import factories
from tests.databases import counted

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
CLAIM = timedelta(minutes=5)
NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()


def world(db: Database, night_workers: int = 1, day_workers: int = 1) -> int:
    """A cohort of coaches (night workers U0N…, day workers U0D…) each paired with a learner; returns the
    workspace id."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        people: list[tuple[str, dict[str, Any] | None]] = [
            (f"U0N{i:03d}", NIGHT_SHIFT) for i in range(night_workers)
        ]
        people += [(f"U0D{i:03d}", None) for i in range(day_workers)]
        pairs = [
            (
                factories.member(uow.session, co, user, Role.COACH, flush=False),
                factories.member(uow.session, co, f"{user}L", flush=False),
            )
            for user, _ in people
        ]
        for user, pattern in people:
            factories.profile(uow.session, ws, user, "UTC", flush=False).work_pattern = pattern
        for guide, learner in pairs:
            factories.pair(uow.session, guide, learner, flush=False)
        uow.commit()
        return ws.id


def checkin_row(db: Database, user: str, due_at: datetime, *, deferred_from: datetime | None = None) -> str:
    """A planned check-in to `user` due at `due_at`, with its CheckIn row; returns its key."""
    with db.unit_of_work() as uow:
        key = add_checkin_row(uow.session, user, due_at, deferred_from=deferred_from)
        uow.commit()
        return key


def add_checkin_row(
    session: Session, user: str, due_at: datetime, *, deferred_from: datetime | None = None
) -> str:
    """checkin_row in the caller's transaction."""
    ws = session.scalars(select(Workspace)).one()
    pairing = coached_by(session, user)
    made = factories.checkin(pairing, pairing.first_member_id, deferred_from or due_at)
    session.add(made)
    session.flush()
    key = f"checkin:{pairing.id}:{pairing.first_member_id}:{(deferred_from or due_at).date()}"
    args = {"checkin_id": made.id, "cohort_name": "PGY-1", "partner_user_id": f"{user}L"}
    session.add(
        OutboxMessage(
            workspace_id=ws.id,
            idempotency_key=key,
            method="chat.postMessage",
            channel=user,
            payload={"template": "checkin", "args": args},
            due_at=due_at,
            deferred_from=deferred_from,
            created_at=due_at,
        )
    )
    return key


def coached_by(session: Session, user: str) -> Partnership:
    return session.scalars(
        select(Partnership)
        .join(Member, Member.id == Partnership.first_member_id)
        .where(Member.slack_user_id == user)
    ).one()


def claim(db: Database, at: datetime, limit: int = 50) -> list[str]:
    return [row.key for row in claim_due(db.unit_of_work(), at, limit=limit, claim_for=CLAIM)]


def outbox(db: Database) -> dict[str, OutboxMessage]:
    with db.unit_of_work() as uow:
        return {row.idempotency_key: row for row in uow.session.scalars(select(OutboxMessage))}


def test_a_night_workers_check_in_waits_for_their_shift_and_a_day_workers_goes_now(
    db: Database,
) -> None:
    world(db)
    night, day = checkin_row(db, "U0N000", MONDAY_9), checkin_row(db, "U0D000", MONDAY_9)

    assert claim(db, MONDAY_9) == [day]

    held = outbox(db)[night]
    assert (held.status, held.attempts) == (OutboxStatus.PENDING, 0)
    assert (held.due_at, held.deferred_from) == (MONDAY_9.replace(hour=19), MONDAY_9)
    assert night not in claim(db, MONDAY_9 + timedelta(hours=9))
    assert night in claim(db, MONDAY_9.replace(hour=19))
    assert outbox(db)[night].deferred_from == MONDAY_9  # the first due time is kept


def test_a_held_back_check_in_is_not_expired_as_overdue_before_its_new_due_time(db: Database) -> None:
    world(db)
    night = checkin_row(db, "U0N000", MONDAY_9)
    claim(db, MONDAY_9)

    with db.unit_of_work() as uow:
        assert expire_overdue(uow.session, MONDAY_9 + timedelta(hours=9, minutes=59), timedelta(hours=1)) == 0
        uow.commit()

    assert outbox(db)[night].status == OutboxStatus.PENDING


def test_someone_away_with_no_end_is_looked_at_again_a_day_later(db: Database) -> None:
    ws_id = world(db, night_workers=0)
    with db.unit_of_work() as uow:
        uow.session.add(
            AwayBlock(
                workspace_id=ws_id,
                slack_user_id="U0D000",
                starts_at=MONDAY_9 - timedelta(days=1),
                ends_at=MONDAY_9 + timedelta(days=90),
                kind=AbsenceKind.ROTATION,
                created_by="U0FAY",
                created_at=MONDAY_9,
            )
        )
        uow.commit()
    key = checkin_row(db, "U0D000", MONDAY_9)

    assert claim(db, MONDAY_9) == []
    assert outbox(db)[key].due_at == MONDAY_9 + timedelta(days=1)


def test_a_released_check_in_supersedes_the_older_ones_and_their_unanswered_check_ins(db: Database) -> None:
    world(db, night_workers=0)
    back = MONDAY_9 + timedelta(days=14)
    oldest = checkin_row(db, "U0D000", back, deferred_from=MONDAY_9)
    older = checkin_row(db, "U0D000", back + timedelta(hours=1), deferred_from=MONDAY_9 + timedelta(days=7))
    latest = checkin_row(db, "U0D000", back, deferred_from=MONDAY_9 + timedelta(days=13))

    assert claim(db, back) == [latest]  # the one still waiting for its due time is superseded too

    found = outbox(db)
    assert [found[k].status for k in (oldest, older)] == [OutboxStatus.SUPERSEDED] * 2
    with db.unit_of_work() as uow:
        left = [c.due_at for c in uow.session.scalars(select(CheckIn))]
    assert left == [MONDAY_9 + timedelta(days=13)]  # superseded ones cannot count as missed


def test_a_batch_costs_the_same_statements_for_one_row_as_for_fifty(db: Database) -> None:
    def statements(rows: int) -> int:
        world(db, night_workers=rows, day_workers=rows)
        with db.unit_of_work() as uow:
            for i in range(rows):
                add_checkin_row(uow.session, f"U0N{i:03d}", MONDAY_9)
                add_checkin_row(
                    uow.session, f"U0D{i:03d}", MONDAY_9, deferred_from=MONDAY_9 - timedelta(days=1)
                )
            uow.commit()
        with counted(db) as seen:
            assert len(claim(db, MONDAY_9, limit=200)) == rows
        return len(seen)

    one = statements(1)
    with db.unit_of_work() as uow:
        for table in ("outbox", "checkins", "partnerships", "members", "profiles", "cohorts", "workspaces"):
            uow.session.execute(text(f"DELETE FROM {table}"))
        uow.commit()
    assert statements(25) == one


def test_rows_held_back_leave_room_in_the_batch_for_rows_that_can_go(db: Database) -> None:
    world(db, night_workers=3, day_workers=1)
    for i in range(3):
        checkin_row(db, f"U0N{i:03d}", MONDAY_9 - timedelta(minutes=1))
    day = checkin_row(db, "U0D000", MONDAY_9)

    assert claim(db, MONDAY_9, limit=2) == [day]


def change_after_holding(db: Database, change: str, user: str) -> None:
    """What happens to the night worker's partnership, or to them, while their check-in waits."""
    with db.unit_of_work() as uow:
        pairing = coached_by(uow.session, user)
        person = uow.session.get_one(Member, pairing.first_member_id)
        if change == "ended":
            pairing.status = PartnershipStatus.ENDED
        elif change == "paused":
            pairing.status = PartnershipStatus.PAUSED
        elif change == "left":
            person.status = MemberStatus.LEFT
        elif change == "paused themselves":
            person.status = MemberStatus.PAUSED
        elif change == "answered":
            checkin = uow.session.scalars(select(CheckIn).where(CheckIn.member_id == person.id)).one()
            checkin.answered_at, checkin.rating = MONDAY_9 + timedelta(hours=2), 4
        uow.commit()


@pytest.mark.parametrize("change", ["ended", "paused", "left", "paused themselves", "answered"])
def test_a_held_check_in_nobody_can_answer_any_more_is_dropped_when_its_window_opens(
    db: Database, change: str
) -> None:
    world(db, day_workers=0)
    night = checkin_row(db, "U0N000", MONDAY_9)
    assert claim(db, MONDAY_9) == []  # held for the night shift
    change_after_holding(db, change, "U0N000")

    assert claim(db, MONDAY_9.replace(hour=19)) == []
    assert outbox(db)[night].status is OutboxStatus.SUPERSEDED
    with db.unit_of_work() as uow:
        kept = uow.session.scalars(select(CheckIn.answered_at)).all()
    assert kept == ([MONDAY_9 + timedelta(hours=2)] if change == "answered" else [])  # never asked: gone


def test_a_held_check_in_still_open_goes_when_its_window_opens(db: Database) -> None:
    world(db, day_workers=0)
    night = checkin_row(db, "U0N000", MONDAY_9)
    assert claim(db, MONDAY_9) == []
    assert claim(db, MONDAY_9.replace(hour=19)) == [night]


def test_a_check_in_held_for_the_shift_is_dropped_when_the_partner_went_away_meanwhile(db: Database) -> None:
    world(db)
    held = checkin_row(db, "U0N000", MONDAY_9)
    assert claim(db, MONDAY_9) == []  # held for the night shift at 19:00
    go_away(db.unit_of_work(), "T0001", "U0N000L", AwayRequest(weeks=2), MONDAY_9 + timedelta(hours=3))

    assert [key for key in claim(db, MONDAY_9.replace(hour=19)) if key.startswith("checkin:")] == []
    assert outbox(db)[held].status is OutboxStatus.SUPERSEDED  # the pair is on hold: nobody is asked
