"""A rotation or leave a facilitator imported: each running partner of the person is told they are away until
the day they are back (never why) when the block starts, once, in the partner's own hours; a corrected end
tells them the new date."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.availability.going_away import AwayRequest
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.domain.vocabulary import EndReason, OutboxStatus, PartnershipKind, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile
from circles.services.availability.away import come_back, go_away
from circles.services.availability.notices import tell_partners_of_blocks
from circles.services.availability.rotations import import_rotations, rotation_cohort
from circles.services.outbox.queue import claim_due
from circles.services.planning.tick import Sent, TickSummary, run_tick
from tests import factories
from tests.integration.availability.test_rotations_import import residents
from tests.integration.planning_world import GRACE

IMPORTED = datetime(2026, 12, 1, 12, tzinfo=UTC)  # the rota is imported a month before the rotation
START = datetime(2027, 1, 4, 6, tzinfo=UTC)  # midnight in Chicago on 2027-01-04, its first day away
BACK = datetime(2027, 2, 1, 6, tzinfo=UTC)  # midnight after its last day, 2027-01-31
NOTICES = ("partner_away", "partner_back")


def a_programme(db: Database) -> None:
    """Chicago's pgy1: learner U0000 is coached by U0001 (in a second cohort too) and paired with peer U0002;
    their pair with U0003 is paused and with U0004 ended. Coach U0001 also coaches U0005 and U0006."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws, people = residents(session, 7)
        lee, ada, kim, paused, ended, bo, cy = people
        for guide in (ada,):
            guide.role = Role.COACH
        peer, paused_status = PartnershipKind.PEER, PartnershipStatus.PAUSED
        factories.pair(session, ada, lee, flush=False)
        factories.pair(session, kim, lee, kind=peer, flush=False)
        factories.pair(session, paused, lee, kind=peer, status=paused_status, flush=False)
        factories.pair(
            session,
            ended,
            lee,
            kind=peer,
            status=PartnershipStatus.ENDED,
            end_reason=EndReason.COMPLETED,
            flush=False,
        )
        factories.pair(session, ada, bo, flush=False)
        factories.pair(session, ada, cy, flush=False)
        peers = factories.cohort(session, ws, "peers")
        factories.pair(
            session,
            factories.member(session, peers, "U0001", Role.COACH, flush=False),
            factories.member(session, peers, "U0000", flush=False),
            flush=False,
        )
        uow.commit()


def rota(*rows: str) -> bytes:
    return ("email,start,end,kind\n" + "".join(f"{row}\n" for row in rows)).encode()


LEE_ON_ROTATION = rota("r0@hospital.org,2027-01-04,2027-01-31,rotation")


def imported(db: Database, data: bytes, now: datetime = IMPORTED) -> None:
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, problems = assign_people(rotations, found, refused)
    assert problems == []
    import_rotations(db.unit_of_work(), cohort, blocks, now=now)


def nothing_sent() -> Sent:
    return Sent(0, 0, 0, 0, "")


def tick(db: Database, now: datetime) -> TickSummary:
    return run_tick(db, now, grace=GRACE, admins=(), decrypt=None, send=nothing_sent)


def told(db: Database) -> list[tuple[str, str, dict[str, str]]]:
    """Every notice about a partner's absence in the outbox: (to whom, which, its arguments), oldest first."""
    with db.reading() as unit:
        rows = unit.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [
            (row.channel or "", row.payload["template"], row.payload["args"])
            for row in rows
            if row.payload["template"] in NOTICES
        ]


def away(until: str, who: str = "U0000") -> dict[str, str]:
    return {"away_user_id": who, "until": until}


def test_partners_hear_nothing_at_the_import_and_are_told_at_the_blocks_start_until_the_day_they_are_back(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, IMPORTED)
    tick(db, START - timedelta(minutes=1))
    assert told(db) == []

    tick(db, START)
    # The coach (two pairs with Lee) hears once, the peer once; not the paused or ended pair, not Lee.
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-02-01")),
        ("U0002", "partner_away", away("2027-02-01")),
    ]


def test_two_passes_and_the_same_file_imported_again_tell_each_partner_once(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    tick(db, START)
    imported(db, LEE_ON_ROTATION, now=START + timedelta(minutes=5))
    tick(db, START + timedelta(minutes=10))
    tick(db, START + timedelta(days=3))
    assert sorted(to for to, _, _ in told(db)) == ["U0001", "U0002"]


def test_two_passes_at_once_tell_each_partner_once(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    start = threading.Barrier(2)

    def a_pass() -> None:
        start.wait()
        with db.unit_of_work() as uow:
            tell_partners_of_blocks(uow.session, START)
            uow.commit()

    passes = [threading.Thread(target=a_pass) for _ in range(2)]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join()
    assert sorted(to for to, _, _ in told(db)) == ["U0001", "U0002"]


def test_a_block_already_running_when_imported_tells_partners_at_the_next_pass(db: Database) -> None:
    a_programme(db)
    during = START + timedelta(days=6)
    imported(db, LEE_ON_ROTATION, now=during)
    tick(db, during)
    assert sorted(to for to, _, _ in told(db)) == ["U0001", "U0002"]


def test_a_block_over_before_anyone_heard_of_it_tells_nobody(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION, now=BACK + timedelta(days=1))
    tick(db, BACK + timedelta(days=1))
    assert told(db) == []


def test_a_coach_away_is_told_to_each_of_their_learners_once(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r1@hospital.org,2027-01-04,2027-01-31,leave"))
    tick(db, START)
    assert sorted(told(db)) == [
        ("U0000", "partner_away", away("2027-02-01", "U0001")),  # two pairs with Ada: one notice
        ("U0005", "partner_away", away("2027-02-01", "U0001")),
        ("U0006", "partner_away", away("2027-02-01", "U0001")),
    ]


def test_an_end_corrected_before_the_block_starts_is_the_only_date_partners_hear(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-17,rotation"), now=IMPORTED + timedelta(days=7))
    tick(db, START)
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-01-18")),
        ("U0002", "partner_away", away("2027-01-18")),
    ]


def test_an_end_corrected_while_the_block_runs_tells_partners_the_new_date(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    corrected = START + timedelta(days=5)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-02-14,rotation"), now=corrected)
    tick(db, corrected)
    tick(db, corrected + timedelta(hours=1))
    assert [(to, args["until"]) for to, _, args in told(db) if to == "U0001"] == [
        ("U0001", "2027-02-01"),
        ("U0001", "2027-02-15"),
    ]


def test_a_block_corrected_to_have_ended_already_tells_partners_the_person_is_back(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    corrected = START + timedelta(days=10)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-09,rotation"), now=corrected)
    tick(db, corrected)
    assert [(to, kind) for to, kind, _ in told(db) if to == "U0002"] == [
        ("U0002", "partner_away"),
        ("U0002", "partner_back"),
    ]
    assert told(db)[-1][2] == {"back_user_id": "U0000"}


def test_a_rotation_inside_their_own_away_time_tells_partners_nothing_more(db: Database) -> None:
    a_programme(db)
    own = go_away(db.unit_of_work(), "T0HOSP", "U0000", AwayRequest(weeks=6), START - timedelta(days=2))
    assert own.back_on.isoformat() == "2027-02-13"
    heard = told(db)  # `/circles away` told the partners at once
    assert {args["until"] for _, _, args in heard} == {"2027-02-13"}
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    tick(db, START + timedelta(days=1))
    assert told(db) == heard


def test_leave_straight_after_a_rotation_is_one_absence_told_once_until_the_leaves_end(db: Database) -> None:
    a_programme(db)
    imported(
        db,
        rota(
            "r0@hospital.org,2027-01-04,2027-01-31,rotation",
            "r0@hospital.org,2027-02-01,2027-02-14,leave",
        ),
    )
    tick(db, START)
    tick(db, BACK)
    tick(db, BACK + timedelta(hours=1))
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-02-15")),
        ("U0002", "partner_away", away("2027-02-15")),
    ]


def test_the_notice_waits_for_a_partner_on_night_shifts(db: Database) -> None:
    a_programme(db)
    with db.unit_of_work() as uow:
        kim = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0002")).one()
        kim.timezone, kim.work_pattern = "UTC", WorkPattern(parse_shift("Mon-Fri 19:00-07:00")).to_json()
        uow.commit()
    imported(db, LEE_ON_ROTATION)
    morning = START.replace(hour=15)  # 9:00 on Monday in Chicago, where the coach is: Kim works nights
    tick(db, morning)
    claimed = claim_due(db.unit_of_work(), morning, limit=50, claim_for=timedelta(minutes=5))
    assert {row.channel for row in claimed if row.payload["template"] == "partner_away"} == {"U0001"}
    with db.reading() as unit:
        kims = unit.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0002"))
        [held] = [row for row in kims if row.payload["template"] == "partner_away"]
        assert (held.status, held.due_at) == (OutboxStatus.PENDING, START.replace(hour=19))


def test_a_pass_with_blocks_stored_and_none_starting_looks_for_them_in_one_statement(db: Database) -> None:
    a_programme(db)
    imported(db, rota(*(f"r{n}@hospital.org,2027-03-01,2027-03-31,rotation" for n in range(7))))
    tick(db, START)
    summary = tick(db, START + timedelta(minutes=10))
    assert summary.costs["away notices"].statements == 1
    assert told(db) == []


def say_away(db: Database, until: str, now: datetime) -> None:
    go_away(db.unit_of_work(), "T0HOSP", "U0000", AwayRequest(until=date.fromisoformat(until)), now)


def test_their_own_away_time_is_told_to_partners_in_active_pairs_only_as_a_rotation_is(db: Database) -> None:
    a_programme(db)
    say_away(db, "2027-01-20", START)
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-01-20")),
        ("U0002", "partner_away", away("2027-01-20")),
    ]  # not the paused pair's U0003, as the rotation's notice in the first test


def test_an_earlier_day_said_during_a_rotation_partners_heard_of_tells_them_nothing_new(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    heard = told(db)
    say_away(db, "2027-01-20", START + timedelta(days=2))
    tick(db, START + timedelta(days=3))
    assert told(db) == heard  # they still know the day Lee is back: 2027-02-01, not 2027-01-20


def test_an_earlier_day_said_before_the_rotations_notice_tells_partners_the_rotations_end_once(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    say_away(db, "2027-01-20", START + timedelta(hours=1))  # the pass has not told of the rotation yet
    tick(db, START + timedelta(hours=2))
    assert sorted((to, args["until"]) for to, _, args in told(db)) == [
        ("U0001", "2027-02-01"),
        ("U0002", "2027-02-01"),
    ]


def test_a_later_day_said_during_a_rotation_is_the_day_partners_hear(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    say_away(db, "2027-02-20", START + timedelta(days=2))
    say_away(db, "2027-01-20", START + timedelta(days=3))  # the rotation still keeps Lee away to 02-01
    assert [args["until"] for to, _, args in told(db) if to == "U0002"] == [
        "2027-02-01",
        "2027-02-20",
        "2027-02-01",
    ]


def test_coming_back_during_a_rotation_after_saying_an_earlier_day_tells_partners_nothing(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    say_away(db, "2027-01-20", START + timedelta(days=2))
    back = come_back(db.unit_of_work(), "T0HOSP", "U0000", START + timedelta(days=3))
    assert back.partners == 0
    assert {kind for _, kind, _ in told(db)} == {"partner_away"}


def test_a_partner_away_themselves_never_hears_after_their_return_that_someone_back_already_is_away(
    db: Database,
) -> None:
    a_programme(db)
    # Kim (U0002, Lee's peer) is on rotation too, two weeks longer: her copy of "Lee is away" waits for her.
    imported(
        db,
        rota(
            "r0@hospital.org,2027-01-04,2027-01-31,rotation", "r2@hospital.org,2027-01-04,2027-02-14,rotation"
        ),
    )
    tick(db, START)
    kims = [
        row
        for row in claim_due(db.unit_of_work(), START, limit=50, claim_for=timedelta(minutes=5))
        if row.channel == "U0002"
    ]
    assert kims == []  # held while she is away

    back = datetime(2027, 2, 15, 15, tzinfo=UTC)  # Kim is back; Lee has been for two weeks
    tick(db, back - timedelta(minutes=1))
    claimed = claim_due(db.unit_of_work(), back, limit=50, claim_for=timedelta(minutes=5))
    about_lee = [
        row.key for row in claimed if row.channel == "U0002" and row.payload.get("template") == "partner_away"
    ]
    assert about_lee == []
    with db.reading() as unit:
        statuses = {
            row.idempotency_key: row.status
            for row in unit.session.scalars(select(OutboxMessage))
            if row.channel == "U0002" and row.payload["template"] == "partner_away"
        }
    assert set(statuses.values()) == {OutboxStatus.SUPERSEDED}


def test_a_rotation_ending_while_they_are_paused_tells_only_partners_of_cohorts_they_take_part_in(
    db: Database,
) -> None:
    from sqlalchemy import update

    from circles.domain.vocabulary import MemberStatus
    from circles.persistence.models import Cohort, Member

    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    tick(db, START)
    with db.unit_of_work() as uow:  # Lee paused in pgy1 meanwhile (not in the peers cohort)
        pgy1 = select(Cohort.id).where(Cohort.slug == "pgy1").scalar_subquery()
        whose = (Member.slack_user_id == "U0000") & (Member.cohort_id == pgy1)
        uow.session.execute(update(Member).where(whose).values(status=MemberStatus.PAUSED))
        uow.commit()
    corrected = START + timedelta(days=10)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-09,rotation"), now=corrected)
    tick(db, corrected)
    back = sorted(to for to, kind, _ in told(db) if kind == "partner_back")
    # Their peer in pgy1 would wait for check-ins a pause still holds; their coach, who has them in the
    # peers cohort too, hears it there.
    assert back == ["U0001"]
