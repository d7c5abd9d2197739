"""Leaving a cohort tells each former partner through the outbox, on SQLite and PostgreSQL: one notice each,
in their window like any other partnership change, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import MemberStatus, OutboxStatus, PairingMode, PartnershipStatus, Role
from circles.errors import NotAMember
from circles.messages import PartnershipChanged, parse
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage, Partnership
from circles.services.outbox.queue import claim_due
from circles.services.people.membership import join, leave
from tests import factories

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()


def world(db: Database) -> None:
    """Lee is coached by Nia (nights) and Dan (days); Dan also coaches Kim."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, co, "U0FAY")
        for coach, pattern in (("U0NIA", NIGHT_SHIFT), ("U0DAN", None)):
            factories.member(uow.session, co, coach, Role.COACH, flush=False)
            factories.profile(uow.session, ws, coach, "UTC", flush=False).work_pattern = pattern
        for learner in ("U0LEE", "U0KIM"):
            factories.member(uow.session, co, learner, flush=False)
        for coach, learner in (("U0NIA", "U0LEE"), ("U0DAN", "U0LEE"), ("U0DAN", "U0KIM")):
            factories.partnership(uow.session, coach, learner)
        uow.commit()


def notices(db: Database) -> dict[str, tuple[PartnershipChanged, OutboxMessage]]:
    """The partner notices in the outbox, by whom they are for."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage)).all()
    found = {}
    for row in rows:
        payload = parse(row.payload["template"], row.payload["args"])
        if isinstance(payload, PartnershipChanged):
            assert row.channel is not None
            assert row.channel not in found
            found[row.channel] = (payload, row)
    return found


def test_leaving_records_one_ended_notice_for_each_former_partner_and_counts_their_other_partnerships(
    db: Database,
) -> None:
    world(db)
    left = leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9)
    assert sorted(left.former_partners) == ["U0DAN", "U0NIA"]
    told = notices(db)
    assert {user: payload for user, (payload, _) in told.items()} == {
        "U0NIA": PartnershipChanged("PGY-1", PartnershipStatus.ENDED),
        "U0DAN": PartnershipChanged("PGY-1", PartnershipStatus.ENDED, others_running=1),
    }
    # Nothing tells who left or why, and nobody but the former partners hears of it this way.
    assert all("U0LEE" not in str(row.payload) for _, row in told.values())


def test_a_night_workers_notice_that_their_partner_left_waits_for_their_shift(db: Database) -> None:
    world(db)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9)
    keys = {user: row.idempotency_key for user, (_, row) in notices(db).items()}

    claimed = [
        row.key for row in claim_due(db.unit_of_work(), MONDAY_9, limit=50, claim_for=timedelta(minutes=5))
    ]

    assert claimed == [keys["U0DAN"]]
    held = notices(db)["U0NIA"][1]
    assert (held.status, held.attempts, held.due_at) == (OutboxStatus.PENDING, 0, MONDAY_9.replace(hour=19))
    night = claim_due(db.unit_of_work(), MONDAY_9.replace(hour=19), limit=50, claim_for=timedelta(minutes=5))
    assert keys["U0NIA"] in [row.key for row in night]


def test_leaving_again_or_after_rejoining_tells_nobody_a_second_time(db: Database) -> None:
    world(db)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9)
    first = {user: row.id for user, (_, row) in notices(db).items()}
    with pytest.raises(NotAMember):
        leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9 + timedelta(minutes=1))
    assert join(db.unit_of_work(), "T0001", "pgy1", "U0LEE", Role.LEARNER, MONDAY_9).already is False
    again = leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9 + timedelta(hours=1))
    assert again.former_partners == []
    assert {user: row.id for user, (_, row) in notices(db).items()} == first


def test_the_notice_of_a_leave_is_keyed_on_the_pair_so_a_raced_leave_records_it_once(db: Database) -> None:
    """Two replicas taking two `/circles leave` at once both end the same pairs before either commits:
    the notices' keys name the pair, which ends once, so the second adds none."""
    world(db)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9)
    with db.unit_of_work() as uow:
        # As the losing replica saw it: the member and their pairs still running.
        lee = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEE")).one()
        lee.status = MemberStatus.ACTIVE
        for pair in uow.session.scalars(select(Partnership)):
            if lee.id in (pair.first_member_id, pair.second_member_id):
                pair.status = PartnershipStatus.ACTIVE
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEE", MONDAY_9 + timedelta(seconds=1))
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage)).all()
    assert sorted(row.channel or "" for row in rows if row.payload["template"] == "partnership_changed") == [
        "U0DAN",
        "U0NIA",
    ]
