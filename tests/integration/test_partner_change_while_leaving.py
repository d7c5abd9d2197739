"""Two replicas on PostgreSQL: a partner pauses or ends their partnership at the moment the other partner
leaves the cohort. The leave holds the cohort, then the pair; the partner's change takes them in the same
order, so one waits for the other and both finish: no deadlock, and the pair ends once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event

from circles.domain.vocabulary import PartnershipStatus
from circles.errors import PartnershipOver
from circles.persistence.db import Database
from circles.persistence.models import Partnership
from circles.services.partnerships.changes import end_partnership, pause_partnership
from circles.services.people.membership import leave
from tests import escalation_world as w
from tests.databases import until_one_waits
from tests.escalation_world import World
from tests.integration.test_request_round_race import WAIT, started

CHANGES = {"pause": pause_partnership, "end": end_partnership}


@pytest.fixture
def world(db: Database) -> World:
    with db.unit_of_work() as uow:
        built = w.build(uow.session)
        uow.commit()
    return built


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("change", CHANGES)
def test_a_partner_changing_their_pair_while_the_other_leaves_waits_and_the_pair_ends_once(
    db: Database, world: World, change: str
) -> None:
    pair_held, go_on = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if threading.current_thread().name == "change" and "FROM partnerships" in sql and "FOR " in sql:
            pair_held.set()  # the coach's change holds what it locks first: the learner leaves now
            go_on.wait(WAIT)

    def changed() -> object:
        extra = ("It was not working for me.",) if change == "end" else ()
        act = CHANGES[change]
        return act(  # type: ignore[operator]
            db.unit_of_work(), "T0001", "U0COACH", world.partnership_id, *extra, w.at(1), request_key="k1"
        )

    event.listen(db.engine, "after_cursor_execute", statement)
    try:
        changing = started(outcomes, "change", changed)
        pair_held.wait(30)
        leaving = started(
            outcomes, "leave", lambda: leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(1))
        )
        until_one_waits(db, WAIT)
        go_on.set()
        for worker in (changing, leaving):
            worker.join(timeout=60)
    finally:
        event.remove(db.engine, "after_cursor_execute", statement)

    assert not isinstance(outcomes["leave"], Exception), outcomes["leave"]
    assert not isinstance(outcomes["change"], Exception) or isinstance(outcomes["change"], PartnershipOver), (
        outcomes["change"]
    )
    with db.reading() as reading:
        assert reading.session.get_one(Partnership, world.partnership_id).status is PartnershipStatus.ENDED
