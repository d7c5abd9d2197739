"""A rotations file imported with `replace`: the whole rota of the cohort's members from its earliest start to
its latest end. An imported block in those days the file no longer holds goes (not started) or ends now
(running: partners told the person is away hear once that they are back); a block over already stays; a
person's own `/circles away` stays; a row with another start or kind replaces the block stored before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from circles.domain.availability import AbsenceKind, WorkPattern, parse_shift
from circles.domain.availability.going_away import AwayRequest
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.domain.vocabulary import OutboxStatus, PartnershipStatus
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, Cohort, Member, OutboxMessage, Partnership, Profile
from circles.services.availability.away import go_away
from circles.services.availability.rotations import RotationsImported, import_rotations, rotation_cohort
from circles.services.outbox.queue import claim_due
from tests.integration.availability.test_rotation_notices import (
    BACK,
    IMPORTED,
    LEE_ON_ROTATION,
    START,
    a_programme,
    rota,
    tick,
    told,
)

LATER = datetime(2027, 6, 1, tzinfo=UTC)
R1_LEAVE = "r1@hospital.org,2027-01-04,2027-01-31,leave"
First, Second = aliased(Member), aliased(Member)


def imported(
    db: Database, data: bytes, now: datetime = IMPORTED, *, replace: bool = True, dry_run: bool = False
) -> RotationsImported:
    cohort = rotation_cohort(db.reading(), "T0HOSP", "pgy1")
    rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, problems = assign_people(rotations, found, refused)
    assert problems == []
    return import_rotations(db.unit_of_work(), cohort, blocks, now=now, dry_run=dry_run, replace=replace)


def stored(db: Database) -> list[tuple[str, AbsenceKind, datetime, datetime]]:
    """Every block: (whose, kind, start, the instant they are back), by person and start."""
    with db.reading() as unit:
        rows = unit.session.execute(
            select(AwayBlock.slack_user_id, AwayBlock.kind, AwayBlock.starts_at, AwayBlock.ends_at).order_by(
                AwayBlock.slack_user_id, AwayBlock.starts_at, AwayBlock.kind
            )
        )
        return [(user, AbsenceKind(kind), starts, ends) for user, kind, starts, ends in rows]


def jan(day: int) -> datetime:
    """Local midnight in Chicago at the start of that day of January 2027."""
    return datetime(2027, 1, day, 6, tzinfo=UTC)


def test_a_row_dropped_from_the_rota_takes_away_its_block_that_has_not_started(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-31,rotation", R1_LEAVE), replace=False)

    result = imported(db, rota(R1_LEAVE), now=IMPORTED + timedelta(days=7))
    assert (result.added, result.updated, result.already_stored) == (0, 0, 1)
    assert [(r.user_id, r.kind, r.starts_at, r.ends_at, r.running) for r in result.removed] == [
        ("U0000", AbsenceKind.ROTATION, START, BACK, False)
    ]
    assert stored(db) == [("U0001", AbsenceKind.LEAVE, START, BACK)]
    tick(db, START)
    assert {to for to, _, args in told(db) if args.get("away_user_id") == "U0000"} == set()


def test_without_replace_a_dropped_row_leaves_its_block_as_it_was(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-31,rotation", R1_LEAVE), replace=False)
    result = imported(db, rota(R1_LEAVE), replace=False)
    assert result.removed == ()
    assert len(stored(db)) == 2


def test_a_running_block_dropped_ends_now_and_partners_told_of_it_hear_once_that_the_person_is_back(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION, replace=False)
    tick(db, START)
    corrected = START + timedelta(days=5)
    result = imported(db, rota(R1_LEAVE), now=corrected)
    assert [(r.user_id, r.running) for r in result.removed] == [("U0000", True)]
    assert stored(db) == [
        ("U0000", AbsenceKind.ROTATION, START, corrected),  # the days already away stay, for health
        ("U0001", AbsenceKind.LEAVE, START, BACK),
    ]
    for at in (corrected, corrected + timedelta(hours=1), corrected + timedelta(days=3)):
        tick(db, at)
    lee = [(to, kind) for to, kind, args in told(db) if "U0000" in args.values()]
    assert sorted(lee) == [
        ("U0001", "partner_away"),
        ("U0001", "partner_back"),
        ("U0002", "partner_away"),
        ("U0002", "partner_back"),
    ]


def test_the_back_notice_of_a_block_ended_by_the_rota_waits_for_the_partners_hours(db: Database) -> None:
    a_programme(db)
    with db.unit_of_work() as uow:
        kim = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0002")).one()
        kim.timezone, kim.work_pattern = "UTC", WorkPattern(parse_shift("Mon-Fri 19:00-07:00")).to_json()
        uow.commit()
    imported(db, LEE_ON_ROTATION, replace=False)
    tick(db, START)
    corrected = START + timedelta(days=1, hours=9)  # Tuesday 15:00 UTC: Kim works nights
    imported(db, rota(R1_LEAVE), now=corrected)
    tick(db, corrected)
    claimed = claim_due(db.unit_of_work(), corrected, limit=50, claim_for=timedelta(minutes=5))
    assert "U0002" not in {row.channel for row in claimed}
    with db.reading() as unit:
        kims = unit.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0002"))
        [back] = [row for row in kims if row.payload["template"] == "partner_back"]
        assert (back.status, back.due_at) == (OutboxStatus.PENDING, datetime(2027, 1, 5, 19, tzinfo=UTC))


def test_a_block_over_already_stays_and_one_running_ends_now(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r0@hospital.org,2026-12-01,2026-12-10,leave"), now=IMPORTED, replace=False)
    imported(db, LEE_ON_ROTATION, replace=False)
    now = jan(10)
    result = imported(db, rota("r1@hospital.org,2026-11-20,2027-02-28,leave"), now=now)
    assert [(r.kind, r.running) for r in result.removed] == [(AbsenceKind.ROTATION, True)]
    lee = [row for row in stored(db) if row[0] == "U0000"]
    assert lee == [
        (
            "U0000",
            AbsenceKind.LEAVE,
            datetime(2026, 12, 1, 6, tzinfo=UTC),
            datetime(2026, 12, 11, 6, tzinfo=UTC),
        ),
        ("U0000", AbsenceKind.ROTATION, START, now),
    ]


def test_a_row_with_another_start_or_kind_replaces_the_block_stored_before(db: Database) -> None:
    a_programme(db)
    imported(db, rota(LEE_ON_ROTATION.decode().splitlines()[1], R1_LEAVE), replace=False)
    moved = rota(
        "r0@hospital.org,2027-01-11,2027-01-31,rotation", "r1@hospital.org,2027-01-04,2027-01-31,rotation"
    )
    result = imported(db, moved, now=IMPORTED + timedelta(days=1))
    assert (result.added, len(result.removed)) == (2, 2)
    assert stored(db) == [
        ("U0000", AbsenceKind.ROTATION, jan(11), BACK),
        ("U0001", AbsenceKind.ROTATION, START, BACK),
    ]
    tick(db, START)
    assert [to for to, _, args in told(db) if args.get("away_user_id") == "U0000"] == []
    tick(db, jan(11))
    assert sorted(to for to, _, args in told(db) if args.get("away_user_id") == "U0000") == ["U0001", "U0002"]


def test_a_kind_corrected_while_the_block_runs_tells_partners_nothing_new(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION, replace=False)
    tick(db, START)
    heard = told(db)
    corrected = START + timedelta(days=5)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-31,leave"), now=corrected)
    for at in (corrected, corrected + timedelta(hours=1), BACK, BACK + timedelta(hours=1)):
        tick(db, at)
    assert told(db) == heard


def test_leave_dropped_after_a_running_rotation_tells_partners_the_earlier_return_once(db: Database) -> None:
    a_programme(db)
    both = rota(
        "r0@hospital.org,2027-01-04,2027-01-31,rotation", "r0@hospital.org,2027-02-01,2027-02-14,leave"
    )
    imported(db, both, replace=False)
    tick(db, START)
    assert {args["until"] for _, _, args in told(db)} == {"2027-02-15"}
    corrected = START + timedelta(days=5)
    imported(
        db,
        rota(LEE_ON_ROTATION.decode().splitlines()[1], "r1@hospital.org,2027-01-04,2027-02-28,leave"),
        now=corrected,
    )
    for at in (corrected, corrected + timedelta(hours=1), BACK, BACK + timedelta(hours=1)):
        tick(db, at)
    lee = [(to, args.get("until")) for to, _, args in told(db) if "U0000" in args.values()]
    assert sorted(lee) == [
        ("U0001", "2027-02-01"),
        ("U0001", "2027-02-15"),
        ("U0002", "2027-02-01"),
        ("U0002", "2027-02-15"),
    ]


def test_the_persons_own_away_time_and_blocks_outside_the_files_days_stay(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r1@hospital.org,2027-03-01,2027-03-31,rotation"), replace=False)
    go_away(db.unit_of_work(), "T0HOSP", "U0000", AwayRequest(until=date(2027, 1, 20)), jan(6))
    result = imported(db, rota("r2@hospital.org,2027-01-04,2027-01-31,leave"), now=jan(7))
    assert result.removed == ()
    assert [(user, kind) for user, kind, _, _ in stored(db)] == [
        ("U0000", AbsenceKind.AWAY),
        ("U0001", AbsenceKind.ROTATION),
        ("U0002", AbsenceKind.LEAVE),
    ]


def test_a_dry_run_names_what_would_go_and_writes_nothing(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-31,rotation", R1_LEAVE), replace=False)
    before = stored(db)
    dry = imported(db, rota("r1@hospital.org,2027-01-04,2027-01-24,leave"), dry_run=True)
    assert (dry.added, dry.updated, dry.already_stored) == (0, 1, 0)
    assert [(r.user_id, r.starts_at, r.ends_at) for r in dry.removed] == [("U0000", START, BACK)]
    assert stored(db) == before


def test_the_people_of_removed_blocks_are_made_due_again_as_for_a_new_block(db: Database) -> None:
    a_programme(db)
    imported(db, rota("r0@hospital.org,2027-01-04,2027-01-31,rotation", R1_LEAVE), replace=False)
    with db.unit_of_work() as uow:
        session = uow.session
        for cohort in session.scalars(select(Cohort)):
            cohort.plan_due_at, cohort.planned_until = LATER, IMPORTED
        for member in session.scalars(select(Member)):
            member.digest_due_at = LATER
        for partnership in session.scalars(select(Partnership)):
            partnership.health_due_at = LATER
        uow.commit()
    now = IMPORTED + timedelta(days=1)
    imported(db, rota(R1_LEAVE), now=now)
    with db.reading() as unit:
        session = unit.session
        assert set(session.scalars(select(Cohort.plan_due_at))) == {None}  # both of Lee's cohorts
        digests = {m.slack_user_id: m.digest_due_at for m in session.scalars(select(Member))}
        assert digests["U0000"] is None
        assert digests["U0003"] == LATER
        health = {
            (first, second): due
            for first, second, due in session.execute(
                select(First.slack_user_id, Second.slack_user_id, Partnership.health_due_at)
                .join(First, First.id == Partnership.first_member_id)
                .join(Second, Second.id == Partnership.second_member_id)
                .where(Partnership.status == PartnershipStatus.ACTIVE)
            )
        }
        assert health[("U0001", "U0000")] == health[("U0002", "U0000")] == now  # Lee's pairs
        assert health[("U0001", "U0005")] == LATER  # Ada's pair with Bo: nothing of theirs changed
