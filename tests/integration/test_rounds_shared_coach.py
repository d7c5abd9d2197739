"""A coach in two cohorts whose rounds are confirmed at the same moment on two replicas, on SQLite and
PostgreSQL: their places are handed out once, never beyond their capacity."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.errors import StalePreview
from circles.persistence.db import Database
from circles.persistence.models import Member, Partnership
from circles.services.matching.rounds import confirm_round, preview_round
from tests import factories
from tests.databases import until_one_waits
from tests.factories import NOW

FAC = "U0FAC"
COACH = "U0COACH"
WAIT = 3.0  # seconds at most the first confirmation waits for the second to read, or to wait for it


def two_cohorts(db: Database) -> None:
    """The coach has room for two learners in all; each cohort has two learners and only this coach."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        factories.profile(uow.session, ws, COACH).capacity = 2
        for slug in ("north", "south"):
            co = factories.cohort(uow.session, ws, slug, slug.title())
            co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, 2, 3
            factories.facilitator(uow.session, co, FAC)
            factories.member(uow.session, co, COACH, Role.COACH, flush=False)
            for n in (1, 2):
                factories.member(uow.session, co, f"U0{slug.upper()}{n}", Role.LEARNER, flush=False)
        uow.commit()


def preview(db: Database, slug: str) -> int:
    return preview_round(db.unit_of_work(), "T0001", slug, user_id=FAC, is_admin=False, now=NOW).run_id


def confirmed_together(db: Database, runs: dict[str, int]) -> list[StalePreview]:
    """South's confirmation starts once north's has read what it matches from; north then holds its
    commit until south's has read too, or waits for north: for the rows north locked (PostgreSQL), or
    for the write lock north's transaction took at its start (SQLite)."""
    north_read, south_there = threading.Event(), threading.Event()  # south: has read, or waits for north
    refused = list[StalePreview]()

    def reading(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM match_constraints" not in statement:  # the last thing matching reads
            return
        name = threading.current_thread().name
        if name == "north":
            north_read.set()
        elif name == "south":
            south_there.set()

    def beginning(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.current_thread().name == "south" and statement == "BEGIN IMMEDIATE":
            south_there.set()  # SQLite queues it behind north's write lock, held until north commits

    def committing(_session: Session) -> None:
        if threading.current_thread().name != "north":
            return
        if db.engine.dialect.name == "sqlite":
            south_there.wait(WAIT)
        else:
            until_one_waits(db, WAIT, through=south_there)

    def confirm(slug: str) -> None:
        try:
            confirm_round(db.unit_of_work(), "T0001", runs[slug], user_id=FAC, is_admin=False, now=NOW)
        except StalePreview as stale:
            refused.append(stale)

    event.listen(db.engine, "after_cursor_execute", reading)
    event.listen(db.engine, "before_cursor_execute", beginning)
    event.listen(Session, "before_commit", committing)
    try:
        north = threading.Thread(target=confirm, args=("north",), name="north")
        north.start()
        north_read.wait(WAIT)
        south = threading.Thread(target=confirm, args=("south",), name="south")
        south.start()
        for worker in (north, south):
            worker.join(timeout=60)
    finally:
        event.remove(db.engine, "after_cursor_execute", reading)
        event.remove(db.engine, "before_cursor_execute", beginning)
        event.remove(Session, "before_commit", committing)
    return refused


def test_a_coach_shared_by_two_cohorts_confirmed_at_once_gets_no_more_learners_than_their_places(
    db: Database,
) -> None:
    two_cohorts(db)
    runs = {slug: preview(db, slug) for slug in ("north", "south")}  # each sees both places free

    refused = confirmed_together(db, runs)

    with db.unit_of_work() as uow:
        guided = uow.session.scalar(
            select(func.count(Partnership.id))
            .join(Member, Member.id == Partnership.first_member_id)
            .where(Member.slack_user_id == COACH, Partnership.status != PartnershipStatus.ENDED)
        )
    assert guided == 2
    assert [stale.slug for stale in refused] == ["south"]  # the later one gets a fresh preview instead
