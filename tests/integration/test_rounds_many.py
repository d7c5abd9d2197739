"""Many rounds of one cohort on SQLite and PostgreSQL: once every pair has met, a round still avoids the
circles just formed, weighing who met when; the look-back window bounds what counts, read in one query."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.matching.met import RECENT, Met
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, CircleMembership, Cohort
from circles.services.matching.inputs import gather
from tests import factories
from tests.databases import counted
from tests.factories import NOW
from tests.integration.test_rounds_later import FAC, confirm, preview

PEERS = 9  # in circles of 3: four rounds meet every pair exactly once, then every round repeats


def cohort_of_peers(db: Database, look_back: int = 0) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.NONE, 3, 3
        co.match_look_back_rounds = look_back
        factories.facilitator(uow.session, co, FAC)
        for i in range(PEERS):
            factories.member(uow.session, co, f"U0P{i}", Role.PEER)
        uow.commit()


def run_rounds(db: Database, count: int, first: int = 0) -> None:
    for r in range(first, first + count):
        now = NOW + timedelta(weeks=4 * r)
        confirm(db, preview(db, now), now)


def circles_by_round(db: Database) -> dict[int, set[frozenset[int]]]:
    with db.unit_of_work() as uow:
        rounds = dict(uow.session.execute(select(Circle.id, Circle.round)).all())
        seats = uow.session.execute(select(CircleMembership.circle_id, CircleMembership.member_id)).all()
    groups: dict[int, set[int]] = {}
    for circle, member in seats:
        groups.setdefault(circle, set()).add(member)
    found: dict[int, set[frozenset[int]]] = {}
    for circle, members in groups.items():
        found.setdefault(rounds[circle], set()).add(frozenset(members))
    return found


def history_at(db: Database, now: datetime, look_back: int | None = None) -> Met:
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        history = gather(uow.session, cohort, now, look_back).history
    assert isinstance(history, Met)
    return history


def test_ten_rounds_of_circles_of_three_never_re_form_a_circle_of_the_round_before(db: Database) -> None:
    cohort_of_peers(db)
    run_rounds(db, 10)
    rounds = circles_by_round(db)
    assert sorted(rounds) == list(range(1, 11))
    for r in range(2, 11):
        assert not rounds[r] & rounds[r - 1], f"round {r} re-forms a circle of round {r - 1}"
    met_in_first_four = [pair for r in range(1, 5) for c in rounds[r] for pair in _pairs(c)]
    assert len(met_in_first_four) == len(set(met_in_first_four)) == PEERS * (PEERS - 1) // 2


def test_what_pairs_weigh_counts_the_rounds_in_the_look_back_window_only(db: Database) -> None:
    cohort_of_peers(db)
    run_rounds(db, 3)  # three rounds without a repeat: each pair met at most once
    later = NOW + timedelta(weeks=12)
    every, last_only = history_at(db, later), history_at(db, later, 1)
    # The round just before weighs RECENT, two back half that, three back a third.
    assert sorted(set(every.weights.values())) == [RECENT // 3, RECENT // 2, RECENT]
    assert set(last_only.weights.values()) == {RECENT}
    assert set(last_only) < set(every)


def test_reading_what_pairs_weigh_takes_as_many_queries_after_six_rounds_as_after_two(db: Database) -> None:
    cohort_of_peers(db)
    run_rounds(db, 2)
    with counted(db) as early:
        history_at(db, NOW + timedelta(weeks=8))
    run_rounds(db, 4, first=2)
    with counted(db) as late:
        history_at(db, NOW + timedelta(weeks=24))
    assert len(late) == len(early)


def _pairs(circle: frozenset[int]) -> list[frozenset[int]]:
    members = sorted(circle)
    return [frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :]]
