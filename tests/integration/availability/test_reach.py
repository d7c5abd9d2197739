"""People's reachability is read for many at once: patterns, their cohorts' quiet hours, away blocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.availability import AbsenceKind, QuietHours, WorkPattern, parse_shift
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock
from circles.queries.availability import away_block, end_own_blocks
from circles.services.availability.reach import reaches
from tests import factories
from tests.databases import counted

NOW = datetime(2027, 1, 13, 9, tzinfo=UTC)


def block(ws_id: int, user: str, days: tuple[int, int], kind: AbsenceKind = AbsenceKind.AWAY) -> AwayBlock:
    starts, ends = (NOW + timedelta(days=d) for d in days)
    return away_block(ws_id, user, (starts, ends), kind, by=user, now=NOW)


def test_many_people_are_read_in_three_queries_with_their_cohorts_quiet_hours(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        nights, weekends = factories.cohort(uow.session, ws, "a"), factories.cohort(uow.session, ws, "b")
        weekends.quiet_hours = "weekends"
        people = [f"U{i:04d}" for i in range(30)]
        for user in people:
            factories.member(uow.session, nights, user, flush=False)
        factories.member(uow.session, weekends, people[0], flush=False)
        factories.profile(uow.session, ws, people[1], "America/Chicago").work_pattern = WorkPattern(
            parse_shift("Sun-Thu 19:00-07:00")
        ).to_json()
        factories.profile(uow.session, ws, people[2]).quiet_hours = ""
        uow.session.add_all([block(ws.id, people[3], (-1, 13)), block(ws.id, people[3], (-20, -10))])
        ws_id = ws.id
        uow.commit()
    with db.reading() as uow, counted(db) as statements:
        found = reaches(uow.session, [(ws_id, user) for user in people], NOW)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3
    assert found[(ws_id, people[0])].quiet == QuietHours(nights=True, weekends=True)
    assert found[(ws_id, people[1])].timezone == "America/Chicago"
    assert found[(ws_id, people[1])].pattern is not None
    assert found[(ws_id, people[2])].quiet == QuietHours()
    assert [a.ends_at for a in found[(ws_id, people[3])].absences] == [NOW + timedelta(days=13)]
    assert found[(ws_id, people[4])].absences == ()


def test_coming_back_ends_ones_own_blocks_but_not_a_rotation(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        uow.session.add_all(
            [
                block(ws.id, "U1", (-2, 12)),
                block(ws.id, "U1", (20, 30)),
                block(ws.id, "U1", (-1, 5), AbsenceKind.ROTATION),
            ]
        )
        ws_id = ws.id
        uow.commit()
    with db.unit_of_work() as uow:
        assert end_own_blocks(uow.session, ws_id, "U1", NOW) == 2
        uow.commit()
    with db.reading() as uow:
        absences = reaches(uow.session, [(ws_id, "U1")], NOW)[(ws_id, "U1")].absences
    assert [(a.kind, a.ends_at) for a in absences] == [(AbsenceKind.ROTATION, NOW + timedelta(days=5))]
