"""A personal message held for its person's window says nothing that stopped being true while it waited: a
notice that a partner is away or back is dropped once they are partners no more, a coach's digest leaves
out the pairs that ended (and names none on hold, its learner paused or away, for its days without a
meeting or its check-ins waiting), and an idea for the next session goes only while a partner is there
for it. On SQLite and PostgreSQL, in a fixed number of statements per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from circles.domain.availability import AbsenceKind, WorkPattern, parse_shift
from circles.domain.digests import DigestSection
from circles.domain.nudges import Nudge, NudgeKind
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus, OutboxStatus, PairingMode, PartnershipStatus, Role
from circles.messages import (
    CoachDigest,
    CoachIdea,
    MissedCirclePrompt,
    PartnerAway,
    PartnerBack,
    Payload,
    parse,
    stored,
)
from circles.persistence.db import Database
from circles.persistence.models import (
    AwayBlock,
    CoachRequest,
    Cohort,
    Member,
    OutboxMessage,
    Partnership,
    Workspace,
)
from circles.services.nudges.digests import digest_now
from circles.services.outbox.queue import Claimed, claim_due
from tests import factories
from tests.databases import counted

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
MONDAY_19 = MONDAY_9.replace(hour=19)
NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()
COACH = "U0COACH"


def world(db: Database, learners: int = 1, *, night: str = "learners") -> int:
    """A coach paired with learners U0L000…, the learners (or the coach) on nights; the workspace id."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        coach = factories.member(uow.session, co, COACH, Role.COACH, flush=False)
        factories.profile(uow.session, ws, COACH, "UTC", flush=False).work_pattern = (
            NIGHT_SHIFT if night == "coach" else None
        )
        people = []
        for i in range(learners):
            learner = f"U0L{i:03d}"
            people.append(factories.member(uow.session, co, learner, flush=False))
            factories.profile(uow.session, ws, learner, "UTC", flush=False).work_pattern = (
                NIGHT_SHIFT if night == "learners" else None
            )
        for person in people:  # the first flushes the people above: their ids are read
            factories.pair(uow.session, coach, person, flush=False)
        uow.commit()
        return ws.id


def held(db: Database, key: str, to: str, payload: Payload) -> str:
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).one()
        uow.session.add(
            OutboxMessage(
                workspace_id=ws.id,
                idempotency_key=key,
                method="chat.postMessage",
                channel=to,
                payload=stored(payload),
                due_at=MONDAY_9,
                created_at=MONDAY_9,
            )
        )
        uow.commit()
    return key


def claim(db: Database, at: datetime, limit: int = 50) -> list[Claimed]:
    return claim_due(db.unit_of_work(), at, limit=limit, claim_for=timedelta(minutes=5))


def status(db: Database, key: str) -> OutboxStatus:
    with db.unit_of_work() as uow:
        return uow.session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.idempotency_key == key)
        ).one()


def change(db: Database, what: str, learner: str = "U0L000") -> None:
    """What happens to the coach and a learner, or their partnership, while a message waits."""
    with db.unit_of_work() as uow:
        pairing = uow.session.scalars(
            select(Partnership)
            .join(Member, Member.id == Partnership.second_member_id)
            .where(Member.slack_user_id == learner)
        ).one()
        coach = uow.session.get_one(Member, pairing.first_member_id)
        them = uow.session.get_one(Member, pairing.second_member_id)
        if what == "ended":
            pairing.status = PartnershipStatus.ENDED
        elif what == "paused":
            pairing.status = PartnershipStatus.PAUSED
        elif what == "coach left":
            coach.status, pairing.status = MemberStatus.LEFT, PartnershipStatus.ENDED
        elif what == "learner left":
            them.status, pairing.status = MemberStatus.LEFT, PartnershipStatus.ENDED
        elif what == "learner paused themselves":
            them.status = MemberStatus.PAUSED
        elif what == "learner on rotation":
            rotation = (MONDAY_9, MONDAY_9 + timedelta(days=21))
            uow.session.add(
                AwayBlock(
                    workspace_id=them.workspace_id,
                    slack_user_id=learner,
                    starts_at=rotation[0],
                    ends_at=rotation[1],
                    kind=AbsenceKind.ROTATION,
                    created_by="U0FAC",
                    created_at=MONDAY_9,
                )
            )
        uow.commit()


NOTICES: list[tuple[str, Payload]] = [
    ("away:1:2027-01-25", PartnerAway(COACH, "2027-01-25")),
    ("back:1", PartnerBack(COACH)),
]


@pytest.mark.parametrize(("occasion", "notice"), NOTICES)
@pytest.mark.parametrize(
    "what", ["ended", "paused", "coach left", "learner left", "learner paused themselves"]
)
def test_a_held_notice_about_a_partner_is_dropped_once_they_are_partners_no_more(
    db: Database, occasion: str, notice: Payload, what: str
) -> None:
    world(db)
    key = held(db, f"{occasion}:U0L000", "U0L000", notice)
    assert claim(db, MONDAY_9) == []  # held for the learner's night shift
    change(db, what)

    assert claim(db, MONDAY_19) == []
    assert status(db, key) is OutboxStatus.SUPERSEDED


@pytest.mark.parametrize(("occasion", "notice"), NOTICES)
def test_a_held_notice_about_a_partner_still_paired_goes_when_the_window_opens(
    db: Database, occasion: str, notice: Payload
) -> None:
    world(db, learners=2)
    key = held(db, f"{occasion}:U0L000", "U0L000", notice)
    assert claim(db, MONDAY_9) == []
    change(db, "ended", learner="U0L001")  # another pair of the coach's ended: not this one

    assert [row.key for row in claim(db, MONDAY_19)] == [key]


def digest_of(*learners: str, requests: int = 0) -> CoachDigest:
    nudges = [Nudge(NudgeKind.NO_MEETING, learner, 15) for learner in learners]
    nudges += [Nudge(NudgeKind.CHECKIN_WAITING, learner, 1) for learner in learners]
    if requests:
        nudges.append(Nudge(NudgeKind.REQUEST_WAITING, None, requests))
    return CoachDigest(1, frozenset(range(7)), (DigestSection("PGY-1 spring", tuple(nudges)),))


def sent_digest(row: Claimed) -> CoachDigest:
    payload: dict[str, Any] = row.payload
    digest = parse(payload["template"], payload["args"])
    assert isinstance(digest, CoachDigest)
    return digest


def partners_in(digest: CoachDigest) -> set[str | None]:
    return {nudge.partner_user_id for section in digest.sections for nudge in section.nudges}


@pytest.mark.parametrize("what", ["ended", "paused", "learner left"])
def test_a_held_digest_leaves_out_the_pairs_that_stopped_while_it_waited(db: Database, what: str) -> None:
    world(db, learners=2, night="coach")
    key = held(db, f"digest:{COACH}:2027-01-11", COACH, digest_of("U0L000", "U0L001"))
    assert claim(db, MONDAY_9) == []  # held for the coach's night shift
    change(db, what)

    [row] = claim(db, MONDAY_19)
    assert row.key == key
    assert partners_in(sent_digest(row)) == {"U0L001"}


@pytest.mark.parametrize("what", ["ended", "coach left"])
def test_a_held_digest_with_nothing_left_to_act_on_is_dropped(db: Database, what: str) -> None:
    world(db, night="coach")
    key = held(db, f"digest:{COACH}:2027-01-11", COACH, digest_of("U0L000"))
    assert claim(db, MONDAY_9) == []
    change(db, what)

    assert claim(db, MONDAY_19) == []
    assert status(db, key) is OutboxStatus.SUPERSEDED


def test_a_held_digest_counts_only_the_requests_still_waiting(db: Database) -> None:
    world(db, night="coach")
    held(db, f"digest:{COACH}:2027-01-11", COACH, digest_of("U0L000", requests=2))
    assert claim(db, MONDAY_9) == []
    change(db, "ended")  # and nobody's request is open any more

    assert claim(db, MONDAY_19) == []


def test_a_held_digest_still_true_goes_unchanged(db: Database) -> None:
    world(db, learners=2, night="coach")
    digest = digest_of("U0L000", "U0L001")
    held(db, f"digest:{COACH}:2027-01-11", COACH, digest)
    assert claim(db, MONDAY_9) == []

    [row] = claim(db, MONDAY_19)
    assert sent_digest(row) == digest


@pytest.mark.parametrize("what", ["learner paused themselves", "learner on rotation"])
def test_a_held_digest_names_no_learner_on_hold_for_days_without_meeting_or_check_ins(
    db: Database, what: str
) -> None:
    world(db, learners=2, night="coach")
    held(db, f"digest:{COACH}:2027-01-11", COACH, digest_of("U0L000", "U0L001"))
    assert claim(db, MONDAY_9) == []
    change(db, what)

    [row] = claim(db, MONDAY_19)
    lines = {(n.kind, n.partner_user_id) for s in sent_digest(row).sections for n in s.nudges}
    assert lines == {  # as planning would: nothing about U0L000, whose check-in waits for their return
        (NudgeKind.NO_MEETING, "U0L001"),
        (NudgeKind.CHECKIN_WAITING, "U0L001"),
    }


def idea() -> CoachIdea:
    return CoachIdea("p1", "Rest", "What helps?", None, "PGY-1 spring", 2)


def member_id(db: Database, user: str) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(Member.id).where(Member.slack_user_id == user)).one()


@pytest.mark.parametrize("what", ["ended", "coach left", "learner paused themselves", "learner on rotation"])
def test_a_held_idea_for_the_next_session_is_dropped_once_the_coach_has_no_running_pair_nor_learner_present(
    db: Database, what: str
) -> None:
    world(db, night="coach")
    key = held(db, f"coach_idea:{member_id(db, COACH)}:2027-01-11", COACH, idea())
    assert claim(db, MONDAY_9) == []
    change(db, what)

    assert claim(db, MONDAY_19) == []
    assert status(db, key) is OutboxStatus.SUPERSEDED


def test_a_held_idea_for_a_coach_still_paired_goes(db: Database) -> None:
    world(db, learners=2, night="coach")
    key = held(db, f"coach_idea:{member_id(db, COACH)}:2027-01-11", COACH, idea())
    assert claim(db, MONDAY_9) == []
    change(db, "ended")  # one of two pairs

    assert [row.key for row in claim(db, MONDAY_19)] == [key]


def circle_catch_up(db: Database) -> str:
    """The learner's circle (with two others), and the catch-up of its missed prompt held for her shift."""
    with db.unit_of_work() as uow:
        co = uow.session.get_one(Member, member_id(db, "U0L000")).cohort_id
        members = list(uow.session.scalars(select(Member).where(Member.cohort_id == co)))
        circle = factories.circle(uow.session, uow.session.get_one(Cohort, co), members, "Harbour", "C0H")
        uow.commit()
        circle_id = circle.id
    catch_up = MissedCirclePrompt("p1", "Rest", "What helps?", None, "PGY-1 spring", 1)
    key = f"circle_prompt_catch_up:{circle_id}:{member_id(db, 'U0L000')}:2027-01-04"
    return held(db, key, "U0L000", catch_up)


def test_a_held_catch_up_of_a_circles_prompt_is_dropped_once_its_person_left(db: Database) -> None:
    world(db, learners=2)
    key = circle_catch_up(db)
    assert claim(db, MONDAY_9) == []
    change(db, "learner left")

    assert claim(db, MONDAY_19) == []
    assert status(db, key) is OutboxStatus.SUPERSEDED


def test_a_held_catch_up_of_a_circles_prompt_goes_to_someone_still_in_it(db: Database) -> None:
    world(db, learners=2)
    key = circle_catch_up(db)
    assert claim(db, MONDAY_9) == []
    change(db, "learner left", learner="U0L001")

    assert [row.key for row in claim(db, MONDAY_19)] == [key]


def test_a_notice_about_a_partner_no_more_is_dropped_when_a_slow_pass_sends_it_late(db: Database) -> None:
    world(db, night="none")
    key = held(db, "away:1:2027-01-25:U0L000", "U0L000", PartnerAway(COACH, "2027-01-25"))
    change(db, "ended")  # before the pass got to it

    assert claim(db, MONDAY_9 + timedelta(hours=1)) == []
    assert status(db, key) is OutboxStatus.SUPERSEDED


def test_checking_late_notices_and_digests_costs_the_same_statements_for_one_as_for_many(
    db: Database,
) -> None:
    def statements(learners: int) -> int:
        world(db, learners=learners, night="none")
        for i in range(learners):
            held(db, f"away:1:2027-01-25:U0L{i:03d}", f"U0L{i:03d}", PartnerAway(COACH, "2027-01-25"))
        held(db, f"digest:{COACH}:2027-01-11", COACH, digest_of(*(f"U0L{i:03d}" for i in range(learners))))
        held(db, f"coach_idea:{member_id(db, COACH)}:2027-01-11", COACH, idea())
        circle_catch_up(db)
        with counted(db) as seen:  # an hour late (a slow pass): each is looked at
            assert len(claim(db, MONDAY_9 + timedelta(hours=1), limit=200)) == learners + 3
        return len(seen)

    one = statements(1)
    with db.unit_of_work() as uow:
        for table in (
            "outbox",
            "circle_memberships",
            "circles",
            "partnerships",
            "members",
            "profiles",
            "cohorts",
            "workspaces",
        ):
            uow.session.execute(text(f"DELETE FROM {table}"))
        uow.commit()
    assert statements(25) == one


def waiting_requests(section: DigestSection) -> int:
    return sum(n.count for n in section.nudges if n.kind is NudgeKind.REQUEST_WAITING)


def test_a_held_digest_tells_apart_two_cohorts_of_the_same_name(db: Database) -> None:
    """The coach guides in two cohorts both called "PGY-1 spring": what changed in one leaves the other's
    part of the digest as it was."""
    world(db, night="coach")
    coach = member_id(db, COACH)
    with db.unit_of_work() as uow:
        first = uow.session.scalars(select(Cohort)).one()
        ws = uow.session.get_one(Workspace, first.workspace_id)
        second = factories.cohort(uow.session, ws, "pgy1-spring-north", first.name)
        first.pairing_mode = second.pairing_mode = PairingMode.COACH_LEARNER  # learners may ask coaches
        coaches = {first.id: coach, second.id: factories.member(uow.session, second, COACH, Role.COACH).id}
        asking = [(first, "U0A000"), (second, "U0B000"), (second, "U0B001")]
        for co, learner in asking:
            uow.session.add(
                CoachRequest(
                    workspace_id=co.workspace_id,
                    cohort_id=co.id,
                    learner_member_id=factories.member(uow.session, co, learner).id,
                    coach_member_id=coaches[co.id],
                    status=RequestStatus.OPEN,
                    created_at=MONDAY_9,
                )
            )
        uow.commit()
    sections = digest_now(db.unit_of_work(), "T0001", COACH, MONDAY_9)
    assert [waiting_requests(s) for s in sections] == [1, 2]
    held(
        db,
        f"digest:{COACH}:2027-01-11",
        COACH,
        CoachDigest(coaches[first.id], frozenset(range(7)), tuple(sections)),
    )
    assert claim(db, MONDAY_9) == []
    with db.unit_of_work() as uow:  # the coach answered the north cohort's two requests meanwhile
        for request in uow.session.scalars(select(CoachRequest).where(CoachRequest.cohort_id == second.id)):
            request.status = RequestStatus.DECLINED
        uow.commit()

    [row] = claim(db, MONDAY_19)
    assert sent_digest(row).sections == tuple(sections[:1])
