"""Two replicas on PostgreSQL: a partner says `/circles away` (or `back`) at the moment the other ends their
pair or leaves the cohort. Each takes the person's cohorts before any pair, so one waits for the other and
both finish: no deadlock, and nobody is told "something went wrong"."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from circles.domain.availability.going_away import AwayRequest
from circles.persistence.db import Database
from circles.services.availability.away import come_back, go_away
from circles.services.partnerships.changes import end_partnership
from circles.services.people.membership import leave
from tests import escalation_world as w
from tests.escalation_world import World
from tests.integration.escalations.conftest import world
from tests.integration.test_request_round_race import while_held

__all__ = ["world"]  # the fixture: the escalation tests' world, built


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("other", ["ends-the-pair", "leaves"])
@pytest.mark.parametrize("change", ["away", "back"])
def test_going_away_or_back_while_the_partner_ends_the_pair_or_leaves_waits_and_both_finish(
    db: Database, world: World, change: str, other: str
) -> None:
    if change == "back":
        go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=2), w.at(0))
    changing: Callable[[], object] = {
        "away": lambda: go_away(db.unit_of_work(), "T0001", "U0LEARN", AwayRequest(weeks=2), w.at(1)),
        "back": lambda: come_back(db.unit_of_work(), "T0001", "U0LEARN", w.at(1)),
    }[change]
    partner: Callable[[], object] = {
        "ends-the-pair": lambda: end_partnership(
            db.unit_of_work(), "T0001", "U0COACH", world.partnership_id, "", w.at(1), request_key="k1"
        ),
        "leaves": lambda: leave(db.unit_of_work(), "T0001", "pgy1", "U0COACH", w.at(1)),
    }[other]

    # The learner's change holds the pair (its health looked at again) while the coach acts.
    mine, theirs = while_held(db, changing, partner, holds=lambda sql: sql.startswith("UPDATE partnerships"))

    assert not isinstance(mine, Exception), mine  # before: one of the two was ended as a deadlock's victim
    assert not isinstance(theirs, Exception), theirs
