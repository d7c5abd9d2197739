"""Erasure and the notices of a member's absences, on SQLite and PostgreSQL: when someone was away (sick
leave, a rotation) or paused is theirs. Their partners' notices that they were away until a day or back
tell it by their dates, and their own notice that a request closed because they were on a pause tells when
they paused; once they have left and asked to be erased, no outbox row of any status keeps one of them, and
nothing pending of them is sent. Other people's notices, in this workspace or another, stay, and the
cohort's figures still count the erased coach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import RequestLapsed
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.availability.away import come_back, go_away
from circles.services.outbox.queue import Claimed, claim_due, mark_sent
from circles.services.partnerships.requests import accept_request
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave, pause
from circles.services.reports.build import report_for
from circles.services.reports.figures import Report
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW
from tests.integration.test_directory import ask, seed

SAM, LEARNERS, FAC = "U0SAM", ("U0L1", "U0L2"), "U0FAC"
OTHER_COACH, OTHER_LEARNER = "U0C2", "U0L3"
AWAY_UNTIL = "2026-11-16"  # two weeks from NOW: the day Sam said they would be back
NOTICES = ("partner_away", "partner_back")
COACHES = {SAM: LEARNERS, OTHER_COACH: (OTHER_LEARNER,)}


def sam_coaches_two(db: Database) -> None:
    """Sam coaches L1 and L2 in pgy1, C2 coaches L3 there; another workspace has a U0SAM of its own."""
    with db.unit_of_work() as uow:
        session = uow.session
        for team_id in ("T0001", "T0002"):
            ws = factories.workspace(session, team_id)
            cohort = factories.cohort(session, ws, "pgy1", "PGY1")
            cohort.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(session, cohort, FAC)
            coaches = COACHES if team_id == "T0001" else {SAM: LEARNERS}
            for coach, learners in coaches.items():
                factories.profile(session, ws, coach)
                guide = factories.member(session, cohort, coach, Role.COACH)
                for learner in learners:
                    factories.pair(session, guide, factories.member(session, cohort, learner, Role.LEARNER))
        uow.commit()


def send_next(db: Database, now: timedelta, limit: int) -> list[Claimed]:
    """Claim up to `limit` rows due by NOW + `now`, oldest first, and record each one sent."""
    at = NOW + now
    claimed = claim_due(db.unit_of_work(), at, limit=limit, claim_for=timedelta(minutes=5))
    for message in claimed:
        mark_sent(db.unit_of_work(), message.id, {"channel": f"D{message.channel}", "ts": "1.1"}, at)
    return claimed


def sam_away_then_back(db: Database) -> None:
    """Sam goes away for two weeks: L1's notice is sent, L2's still waits. A day later Sam is back, and both
    notices of it wait. C2 goes away for three weeks, and the other workspace's Sam for two, each partner
    told."""
    sam_coaches_two(db)
    go_away(db.unit_of_work(), "T0001", SAM, AwayRequest(weeks=2), NOW)
    [first] = send_next(db, timedelta(minutes=1), limit=1)
    assert (first.channel, first.payload["args"]) == ("U0L1", {"away_user_id": SAM, "until": AWAY_UNTIL})
    go_away(db.unit_of_work(), "T0001", OTHER_COACH, AwayRequest(weeks=3), NOW + timedelta(minutes=2))
    go_away(db.unit_of_work(), "T0002", SAM, AwayRequest(weeks=2), NOW + timedelta(minutes=2))
    assert come_back(db.unit_of_work(), "T0001", SAM, NOW + timedelta(days=1)).partners == 2
    waiting = [(r[3], r[2]) for r in outbox(db) if r[0] == "T0001" and r[4] == "pending" and SAM in r[5]]
    assert sorted(waiting) == [("U0L1", "partner_back"), ("U0L2", "partner_away"), ("U0L2", "partner_back")]


def outbox(db: Database) -> list[tuple[str, str, str, str | None, str, str]]:
    """Every outbox row as stored: team, key, template, channel, status and the whole payload."""
    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Workspace.team_id, OutboxMessage)
            .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
            .order_by(OutboxMessage.id)
        ).all()
        return [
            (team, r.idempotency_key, r.payload["template"], r.channel, r.status.value, repr(r.payload))
            for team, r in rows
        ]


def test_after_erasure_no_outbox_row_tells_when_sam_was_away_or_back_and_none_is_sent(db: Database) -> None:
    sam_away_then_back(db)
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW + timedelta(days=2))

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    rows = outbox(db)
    assert [r for r in rows if r[0] == "T0001" and r[2] in NOTICES and SAM in r[5]] == []
    assert [r for r in rows if r[0] == "T0001" and (SAM in repr(r) or AWAY_UNTIL in repr(r))] == []
    with db.engine.connect() as connection:  # nor anywhere in the workspace's rows, read as stored
        ours = connection.execute(text("SELECT id FROM workspaces WHERE team_id = 'T0001'")).scalar_one()
        stored = connection.execute(text("SELECT * FROM outbox WHERE workspace_id = :ws"), {"ws": ours})
        assert [row for row in map(repr, stored) if SAM in row or AWAY_UNTIL in row] == []
    # C2's notice to L3 and the other workspace's Sam's notices stay as they were.
    kept = sorted((r[0], r[3], r[2]) for r in rows if r[2] in NOTICES)
    assert kept == [
        ("T0001", OTHER_LEARNER, "partner_away"),
        ("T0002", "U0L1", "partner_away"),
        ("T0002", "U0L2", "partner_away"),
    ]
    assert all(SAM in r[5] for r in rows if r[0] == "T0002" and r[2] in NOTICES)

    going = send_next(db, timedelta(days=3), limit=100)

    assert [(m.channel, m.payload["template"]) for m in going if m.payload["template"] in NOTICES] == [
        (OTHER_LEARNER, "partner_away"),
        ("U0L1", "partner_away"),
        ("U0L2", "partner_away"),
    ]
    assert {m.team_id for m in going if m.channel != OTHER_LEARNER and m.payload["template"] in NOTICES} == {
        "T0002"
    }


def test_the_cohorts_report_counts_the_same_before_and_after_the_notices_go(db: Database) -> None:
    sam_away_then_back(db)
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW + timedelta(days=2))

    def counts() -> Report:
        return report_for(
            db.unit_of_work(),
            "T0001",
            FAC,
            "pgy1",
            NOW + timedelta(days=3),
            is_admin=False,
            individual=False,
            decrypt=w.unseal,
        )

    before = counts()
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    after = counts()
    assert (after.members, after.endings) == (before.members, before.endings)
    assert next(c for c in before.members if c.role is Role.COACH).left == 1
    assert (before.endings.member_left, before.endings.active) == (2, 1)


@pytest.mark.parametrize("sent", [True, False])
def test_after_erasure_no_row_tells_that_sams_request_closed_while_they_were_paused(
    db: Database, sent: bool
) -> None:
    seed(db, U0SAM=Role.LEARNER, U0ANN=Role.LEARNER, U0COACH=Role.COACH)
    requests = [ask(db, learner, "U0COACH") for learner in (SAM, "U0ANN")]
    for learner in (SAM, "U0ANN"):
        pause(db.unit_of_work(), "T0001", learner, 2, NOW)
    for request_id in requests:
        with pytest.raises(RequestLapsed):
            accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW + timedelta(hours=1))
    if sent:
        send_next(db, timedelta(days=1), limit=100)
    leave(db.unit_of_work(), "T0001", None, SAM, NOW + timedelta(days=2))

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    closed = [(r[3], r[5]) for r in outbox(db) if r[2] == "request_closed"]
    assert [to for to, _ in closed] == ["U0ANN"]  # Ann's own notice, and what it says, stay
    assert "learner_paused" in closed[0][1]
    going = send_next(db, timedelta(days=3), limit=100)
    assert [m.key for m in going if m.channel == SAM] == []
