"""Two cohorts' rotas for a person in both: each cohort's import stores, corrects and replaces its own blocks,
never moving, taking away or naming a block imported for the other; the person is away while any block says
so, and their partners hear each date once. A block the person made stays theirs whichever cohort imports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, Cohort
from circles.queries.availability import away_block
from circles.services.availability.rotations import RotationsImported, import_rotations, rotation_cohort
from tests.integration.availability.test_rotation_notices import (
    BACK,
    IMPORTED,
    START,
    a_programme,
    away,
    rota,
    tick,
    told,
)

LEE_LEAVE = "r0@hospital.org,2027-01-04,2027-01-31,leave"  # Lee (U0000) is in pgy1 and in peers
ADA_LEAVE = "r1@hospital.org,2027-01-04,2027-01-31,leave"  # Ada (U0001) too
LATER = IMPORTED + timedelta(days=1)


def two_cohorts(db: Database) -> None:
    """`a_programme`, its second cohort "peers" in Chicago too: both files' dates are the same instants."""
    a_programme(db)
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(timezone="America/Chicago"))
        uow.commit()


def imported(
    db: Database,
    slug: str,
    data: bytes,
    now: datetime = IMPORTED,
    *,
    replace: bool = False,
    dry_run: bool = False,
) -> RotationsImported:
    cohort = rotation_cohort(db.reading(), "T0HOSP", slug)
    rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, problems = assign_people(rotations, found, refused)
    assert problems == []
    return import_rotations(db.unit_of_work(), cohort, blocks, now=now, dry_run=dry_run, replace=replace)


def blocks(db: Database) -> list[tuple[str | None, str, AbsenceKind, datetime]]:
    """Every block: (the cohort that imported it, None: the person's own; whose; kind; when they are back)."""
    with db.reading() as unit:
        rows = unit.session.execute(
            select(Cohort.slug, AwayBlock.slack_user_id, AwayBlock.kind, AwayBlock.ends_at)
            .outerjoin(Cohort, Cohort.id == AwayBlock.cohort_id)
            .order_by(AwayBlock.slack_user_id, AwayBlock.starts_at, AwayBlock.id)
        )
        return [(slug, user, AbsenceKind(kind), ends) for slug, user, kind, ends in rows]


def feb(day: int) -> datetime:
    """Local midnight in Chicago at the start of that day of February 2027."""
    return datetime(2027, 2, day, 6, tzinfo=UTC)


def test_replacing_one_cohorts_rota_leaves_another_cohorts_leave_stored_and_unnamed(db: Database) -> None:
    two_cohorts(db)
    imported(db, "peers", rota(LEE_LEAVE))
    dry = imported(db, "pgy1", rota(ADA_LEAVE), LATER, replace=True, dry_run=True)
    result = imported(db, "pgy1", rota(ADA_LEAVE), LATER, replace=True)
    assert dry.removed == result.removed == ()
    assert blocks(db) == [
        ("peers", "U0000", AbsenceKind.LEAVE, BACK),
        ("pgy1", "U0001", AbsenceKind.LEAVE, BACK),
    ]


def test_a_cohort_in_another_zone_keeps_its_leave_over_the_replaced_days(db: Database) -> None:
    a_programme(db)  # "peers" keeps UTC: its days start six hours before pgy1's, inside the file's days
    imported(db, "peers", rota(LEE_LEAVE))
    result = imported(db, "pgy1", rota(ADA_LEAVE), LATER, replace=True)
    assert result.removed == ()
    assert [(slug, user) for slug, user, _, _ in blocks(db)] == [("peers", "U0000"), ("pgy1", "U0001")]


def test_the_same_block_in_both_files_is_each_cohorts_own_and_partners_hear_it_once(db: Database) -> None:
    two_cohorts(db)
    imported(db, "peers", rota(LEE_LEAVE))
    second = imported(db, "pgy1", rota(LEE_LEAVE))
    # Nothing tells pgy1's facilitator that another cohort's file holds the block: pgy1 stored its own.
    assert (second.added, second.updated, second.already_stored) == (1, 0, 0)
    assert blocks(db) == [
        ("peers", "U0000", AbsenceKind.LEAVE, BACK),
        ("pgy1", "U0000", AbsenceKind.LEAVE, BACK),
    ]
    again = imported(db, "pgy1", rota(LEE_LEAVE))
    assert (again.added, again.updated, again.already_stored) == (0, 0, 1)
    tick(db, START)
    tick(db, START + timedelta(hours=1))
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-02-01")),
        ("U0002", "partner_away", away("2027-02-01")),
    ]


def test_a_replacing_rota_takes_away_its_own_copy_and_the_other_cohorts_keeps_the_person_away(
    db: Database,
) -> None:
    two_cohorts(db)
    imported(db, "peers", rota(LEE_LEAVE))
    imported(db, "pgy1", rota(LEE_LEAVE))
    tick(db, START)
    running = START + timedelta(days=3)
    result = imported(db, "pgy1", rota(ADA_LEAVE), running, replace=True)
    assert [(r.user_id, r.kind, r.ends_at, r.running) for r in result.removed] == [
        ("U0000", AbsenceKind.LEAVE, BACK, True)
    ]
    assert blocks(db) == [
        ("peers", "U0000", AbsenceKind.LEAVE, BACK),
        ("pgy1", "U0000", AbsenceKind.LEAVE, running),
        ("pgy1", "U0001", AbsenceKind.LEAVE, BACK),
    ]
    tick(db, running + timedelta(hours=1))
    # Peers' leave still keeps Lee away: nobody hears Lee is back, nor a new date.
    assert [args for _, _, args in told(db) if args.get("away_user_id") == "U0000"] == [
        away("2027-02-01")
    ] * 2
    assert [to for to, kind, _ in told(db) if kind == "partner_back"] == []


def test_an_import_for_one_cohort_never_moves_the_end_of_the_others_block(db: Database) -> None:
    two_cohorts(db)
    imported(db, "peers", rota(LEE_LEAVE))
    longer = imported(db, "pgy1", rota("r0@hospital.org,2027-01-04,2027-02-14,leave"))
    assert (longer.added, longer.updated, longer.already_stored) == (1, 0, 0)
    corrected = imported(db, "pgy1", rota("r0@hospital.org,2027-01-04,2027-02-07,leave"), LATER)
    assert (corrected.added, corrected.updated, corrected.already_stored) == (0, 1, 0)
    shorter = imported(db, "peers", rota("r0@hospital.org,2027-01-04,2027-01-24,leave"), LATER)
    assert (shorter.added, shorter.updated, shorter.already_stored) == (0, 1, 0)
    assert blocks(db) == [
        ("peers", "U0000", AbsenceKind.LEAVE, BACK - timedelta(days=7)),
        ("pgy1", "U0000", AbsenceKind.LEAVE, feb(8)),
    ]
    tick(db, START)
    tick(db, START + timedelta(hours=1))
    # Lee is away while either block says so: partners hear the later return, once.
    assert sorted(told(db)) == [
        ("U0001", "partner_away", away("2027-02-08")),
        ("U0002", "partner_away", away("2027-02-08")),
    ]


def test_a_block_the_person_made_with_the_same_start_and_kind_is_left_to_them_by_either_cohort(
    db: Database,
) -> None:
    two_cohorts(db)
    own_end = START + timedelta(days=5)
    with db.unit_of_work() as uow:
        workspace_id = uow.session.scalars(select(Cohort.workspace_id)).first()
        assert workspace_id is not None
        uow.session.add(
            away_block(workspace_id, "U0000", (START, own_end), AbsenceKind.LEAVE, by="U0000", now=IMPORTED)
        )
        uow.commit()
    for slug in ("peers", "pgy1"):
        result = imported(db, slug, rota(LEE_LEAVE))
        assert (result.added, result.updated, result.already_stored) == (0, 0, 1)
        assert imported(db, slug, rota(ADA_LEAVE), LATER, replace=True).removed == ()
    assert [(slug, user, ends) for slug, user, _, ends in blocks(db)] == [
        (None, "U0000", own_end),
        ("peers", "U0001", BACK),
        ("pgy1", "U0001", BACK),
    ]
