"""Someone who facilitates one cohort and was a coach in another leaves that other cohort and asks to be
erased (allowed: they are a member of no cohort). What waits in the outbox for them as a member goes; what
waits for them as a facilitator of the cohort they still run reaches them all the same: a member's request
for support (that member was told it reached a facilitator), an alert's copy, a partnership's ending report,
a notice that a circle is down to a few members, a round's progress. One from a cohort they no longer
facilitate goes with what was theirs, unless it reached them as one of the workspace's admins. On SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bot.messages import render
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import OutboxStatus, PairingMode, Role
from circles.messages import CheckinQuestion, SupportNotShown
from circles.persistence.db import Database
from circles.persistence.models import MatchRun, Member, OutboxMessage
from circles.queries.cohorts import remove_facilitators
from circles.services.escalations.open import open_escalations
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.queue import Claimed, claim_due
from circles.services.partnerships.changes import end_partnership
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.rounds.queue import schedule_round
from circles.services.support.request import request_support
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW

FAC = "U0FACMEM"  # facilitates pgy1 (and nights, until taken off it), coaches in faculty
ERASED_AT = NOW + timedelta(minutes=2)
FOR_PGY1 = ["escalation", "partnership_report", "plain", "round", "support_request"]


@dataclass(frozen=True)
class World:
    workspace: int
    coaching: int  # the pair they coached in faculty
    circle: int  # a pgy1 circle that one member leaves


def world(db: Database) -> World:
    """pgy1, where FAC facilitates a struggling pair, a pair about to end and a circle of three; faculty,
    where FAC coaches; nights, which FAC facilitated until now. Every message waits in the outbox."""
    with db.unit_of_work() as uow:
        s = uow.session
        ws = factories.workspace(s)
        pgy1, faculty, nights = (
            factories.cohort(s, ws, slug, name)
            for slug, name in (("pgy1", "PGY1"), ("faculty", "Faculty"), ("nights", "Nights"))
        )
        for co in (pgy1, faculty, nights):
            co.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(s, pgy1, FAC)
        factories.facilitator(s, nights, FAC)
        factories.facilitator(s, faculty, "U0OTHERFAC")
        factories.profile(s, ws, FAC)
        coaching = factories.pair(
            s, factories.member(s, faculty, FAC, Role.COACH), factories.member(s, faculty, "U0FL")
        )
        struggling = factories.pair(
            s, factories.member(s, pgy1, "U0C1", Role.COACH), factories.member(s, pgy1, "U0L1")
        )
        ending = factories.pair(
            s, factories.member(s, pgy1, "U0C2", Role.COACH), factories.member(s, pgy1, "U0L2")
        )
        circle = factories.circle(
            s, pgy1, [factories.member(s, pgy1, u) for u in ("U0L3", "U0L4", "U0L5")], "Oak", "C0OAK"
        )
        factories.member(s, nights, "U0N1")
        run = MatchRun(
            workspace_id=ws.id,
            cohort_id=pgy1.id,
            round=1,
            seed=1,
            fingerprint="f",
            plan={},
            status=RunStatus.CONFIRMED,
            requested_by=FAC,
            created_at=NOW,
        )
        s.add(run)
        s.flush()
        schedule_round(s, run, FAC, NOW)  # FAC confirmed it: their progress message
        open_escalations(s, [w.struggling(struggling.id)], NOW, decrypt=w.unseal)
        # Theirs as a member of faculty: a check-in, and the notice that a request of theirs was not shown.
        question = factories.checkin(coaching, coaching.first_member_id, NOW + timedelta(days=7))
        s.add(question)
        s.flush()
        mine = [
            Outgoing(
                f"checkin:{coaching.id}:2026-11-09", FAC, CheckinQuestion(question.id, "Faculty", "U0FL")
            ),
            Outgoing(f"not_shown:support:{coaching.first_member_id}:k0", FAC, SupportNotShown("Faculty")),
        ]
        enqueue_many(s, ws.id, mine, due_at=NOW + timedelta(days=7), now=NOW)
        uow.commit()
        made = World(ws.id, coaching.id, circle.id)
    request_support(
        db.unit_of_work(), "T0001", "U0L1", "Call me after my shift?", NOW, "pgy1", request_key="k1"
    )
    request_support(db.unit_of_work(), "T0001", "U0N1", "Nights are hard", NOW, "nights", request_key="k2")
    end_partnership(db.unit_of_work(), "T0001", "U0L2", ending.id, "We never met", NOW, request_key="e1")
    leave(db.unit_of_work(), "T0001", "pgy1", "U0L3", NOW)  # the circle is down to two: FAC is told
    with db.unit_of_work() as uow:
        remove_facilitators(uow.session, nights.id, [FAC])  # U0N1's request to them was already queued
        uow.commit()
    leave(db.unit_of_work(), "T0001", "faculty", FAC, NOW + timedelta(minutes=1))
    return made


def waiting_for(db: Database, user_id: str) -> dict[str, OutboxStatus]:
    """The rows to this person, by key, and their status."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == user_id))
        return {row.idempotency_key: row.status for row in rows}


def going_to(db: Database, user_id: str) -> list[tuple[str, str]]:
    """What the dispatcher claims for this person over the next days, whatever waits for their window: each
    row's kind and key."""
    sent: list[Claimed] = []
    for hours in range(0, 24 * 9, 6):
        when = ERASED_AT + timedelta(hours=hours)
        sent += claim_due(db.unit_of_work(), when, limit=100, claim_for=timedelta(days=30))
    return sorted((str(m.payload["template"]), m.key) for m in sent if m.channel == user_id)


def test_a_facilitator_erased_as_a_former_member_still_receives_what_waits_for_them_as_facilitator(
    db: Database,
) -> None:
    made = world(db)
    before = waiting_for(db, FAC)
    assert set(before.values()) == {OutboxStatus.PENDING}
    assert f"checkin:{made.coaching}:2026-11-09" in before

    assert erase_personal_data(db.unit_of_work(), "T0001", FAC, ERASED_AT) is True

    going = going_to(db, FAC)
    assert sorted({template for template, _ in going}) == FOR_PGY1
    assert [key for template, key in going if template == "support_request"] == [
        f"support:{_member(db, 'U0L1')}:k1:{FAC}"
    ]
    assert next(key for template, key in going if template == "plain").startswith(f"circle:{made.circle}:")
    after = waiting_for(db, FAC)
    theirs = [key for key, status in after.items() if status is OutboxStatus.SUPERSEDED]
    assert sorted(theirs) == sorted(
        [
            f"checkin:{made.coaching}:2026-11-09",
            f"not_shown:support:{_member(db, FAC)}:k0",
            f"support:{_member(db, 'U0N1')}:k2:{FAC}",
        ]
    )


def test_what_reached_them_as_an_admin_stays_theirs_whichever_cohort_it_is_from(db: Database) -> None:
    world(db)

    assert erase_personal_data(db.unit_of_work(), "T0001", FAC, ERASED_AT, admins=(FAC,)) is True

    going = going_to(db, FAC)
    requests = [key for template, key in going if template == "support_request"]
    assert len(requests) == 2  # pgy1's, and the one from nights, which they no longer facilitate
    assert {template for template, _ in going} == set(FOR_PGY1)


def test_what_still_reaches_them_as_facilitator_is_drawn_as_before(db: Database) -> None:
    world(db)

    assert erase_personal_data(db.unit_of_work(), "T0001", FAC, ERASED_AT) is True

    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.channel == FAC, OutboxMessage.status == OutboxStatus.PENDING
            )
        )
        stored = {str(row.payload["template"]): row.payload for row in rows}
    request = render("support_request", stored["support_request"]["args"])
    assert "Call me after my shift?" in str(request.block_dicts())
    assert "<@U0L1> asked for support." in str(request.block_dicts())
    alert = render("escalation", stored["escalation"]["args"])
    assert "<@U0C1>" in str(alert.block_dicts())
    assert "<@U0L1>" in str(alert.block_dicts())


def _member(db: Database, user_id: str) -> int:
    """The id of the person's first membership."""
    with db.unit_of_work() as uow:
        found = uow.session.scalars(
            select(Member.id).where(Member.slack_user_id == user_id).order_by(Member.id)
        )
        return int(found.first() or 0)
