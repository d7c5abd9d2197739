"""Erasure and the messages already sent to others that named the person, on SQLite and PostgreSQL: a
coach's check-ins about their learner and daily digests, a coach's copy of a learner's request redrawn as
closed, a learner's notice that their coach's request closed. The delivery record keeps each of them, but
once the person is erased none names them; the same messages about someone not erased, or in another
workspace, keep the name, and what was sent to the erased person themselves stays as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus, PairingMode, Role
from circles.messages import UNNAMED
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.nudges.digests import plan_nudges
from circles.services.outbox.queue import claim_due, mark_sent
from circles.services.partnerships.request_notices import remember_copy
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.planning import plan
from tests.factories import NOW, checkin
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_directory import ask, seed

SAM, KIM, COACH = "U0SAM", "U0KIM", "U0COACH"
MONDAY = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)  # 10:30 in New York: the coach's digest is due


def send_all(db: Database, at: datetime) -> None:
    """What the dispatcher does: every row due by `at` sent."""
    for message in claim_due(db.unit_of_work(), at, limit=100, claim_for=timedelta(minutes=5)):
        mark_sent(db.unit_of_work(), message.id, {"channel": "D0", "ts": "1.000001"}, at, message.payload)


def coach_of_sam_and_kim(db: Database) -> None:
    """A coach in New York with two learners, Sam and Kim, neither met: a week of check-ins and digests.
    The cohort began when they were paired, and each learner left last week's check-in unanswered."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session), starts_on=world.LONG_AGO.date())
        co.pairing_mode = PairingMode.COACH_LEARNER
        coach = world.member(uow.session, co, COACH, Role.COACH, timezone="America/New_York")
        for learner in (SAM, KIM):
            member = world.member(uow.session, co, learner)
            pair = world.pair(uow.session, coach, member, conversation_id=None)
            uow.session.add(checkin(pair, member.id, MONDAY - timedelta(weeks=1)))
        uow.commit()
    for day in range(3):
        with db.unit_of_work() as uow:
            plan(uow.session, MONDAY + timedelta(days=day), grace=GRACE)
            plan_nudges(uow.session, MONDAY + timedelta(days=day))
            uow.commit()
        send_all(db, MONDAY + timedelta(days=day))


def sent(db: Database, *templates: str) -> list[tuple[str, str, dict[str, object]]]:
    """The rows sent of these kinds: where to (channel), their workspace's team, and their arguments."""
    with db.reading() as reading:
        rows = reading.session.execute(
            select(OutboxMessage.channel, Workspace.team_id, OutboxMessage.payload)
            .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
            .where(OutboxMessage.status == OutboxStatus.SENT)
            .order_by(OutboxMessage.id)
        ).all()
    return [(str(to), team, p["args"]) for to, team, p in rows if p["template"] in templates]


def test_a_coachs_sent_check_ins_and_digests_name_an_erased_learner_no_more(db: Database) -> None:
    coach_of_sam_and_kim(db)
    assert any(SAM in repr(args) for to, _, args in sent(db, "checkin", "coach_digest") if to == COACH)
    leave(db.unit_of_work(), "T0001", None, SAM, MONDAY + timedelta(days=3))

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, MONDAY + timedelta(days=3)) is True

    coachs = [args for to, _, args in sent(db, "checkin", "coach_digest") if to == COACH]
    assert [args for args in coachs if SAM in repr(args)] == []
    partners = {args["partner_user_id"] for args in coachs if "partner_user_id" in args}
    assert partners == {UNNAMED, KIM}  # each still in the record, Kim's still named
    digests = [args for args in coachs if "sections" in args]
    assert len(digests) == 3
    assert all(KIM in repr(args) and "'partner': ''" in repr(args) for args in digests)
    sams = [args for to, _, args in sent(db, "checkin") if to == SAM]  # sent to Sam: naming the coach
    assert sams != []
    assert all(args["partner_user_id"] == COACH for args in sams)


def test_sent_notices_of_requests_name_an_erased_learner_or_coach_no_more_elsewhere_they_stay(
    db: Database,
) -> None:
    for team in ("T0001", "T0002"):  # the same Slack IDs in another workspace
        seed(db, team, **{COACH: Role.COACH, "U0DAN": Role.COACH, SAM: Role.LEARNER, KIM: Role.LEARNER})
        request_id = ask(db, SAM, COACH, team_id=team)  # Sam's request, its copy in the coach's DM
        remember_copy(db.unit_of_work(), team, request_id, "D0COACH", "1700000000.000100", NOW)
        ask(db, KIM, "U0DAN", team_id=team)
    for team in ("T0001", "T0002"):
        leave(db.unit_of_work(), team, None, SAM, NOW)  # the coach's copy is redrawn as closed
        leave(db.unit_of_work(), team, None, "U0DAN", NOW)  # Kim is told Dan's request closed
    for hours in range(2, 24 * 4, 6):  # each waits for its person's window
        send_all(db, NOW + timedelta(hours=hours))
    assert len(sent(db, "request_copy_closed", "request_closed")) == 4

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW + timedelta(days=5)) is True
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0DAN", NOW + timedelta(days=5)) is True

    named = {
        (team, args["learner_user_id" if "learner_user_id" in args else "guide_user_id"])
        for _, team, args in sent(db, "request_copy_closed", "request_closed")
    }
    assert named == {("T0001", UNNAMED), ("T0002", SAM), ("T0002", "U0DAN")}
