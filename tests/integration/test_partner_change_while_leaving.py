"""Two replicas on PostgreSQL: a partner pauses or ends their partnership at the moment the other partner
leaves the cohort. The leave holds the cohort, then the pair; the partner's change takes them in the same
order, so one waits for the other and both finish: no deadlock, and the pair ends once."""

from __future__ import annotations

import pytest

from circles.domain.vocabulary import PartnershipStatus
from circles.errors import PartnershipOver
from circles.persistence.db import Database
from circles.persistence.models import Partnership
from circles.services.partnerships.changes import end_partnership, pause_partnership
from circles.services.people.membership import leave
from tests import escalation_world as w
from tests.escalation_world import World
from tests.integration.escalations.conftest import world
from tests.integration.test_request_round_race import while_held

__all__ = ["world"]  # the fixture: the escalation tests' world, built

CHANGES = {"pause": pause_partnership, "end": end_partnership}


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("change", CHANGES)
def test_a_partner_changing_their_pair_while_the_other_leaves_waits_and_the_pair_ends_once(
    db: Database, world: World, change: str
) -> None:
    def changing() -> object:
        extra = ("It was not working for me.",) if change == "end" else ()
        act = CHANGES[change]
        return act(  # type: ignore[operator]
            db.unit_of_work(), "T0001", "U0COACH", world.partnership_id, *extra, w.at(1), request_key="k1"
        )

    changed, left = while_held(
        db,
        changing,
        lambda: leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(1)),
        # the coach's change holds what it locks first: the learner leaves now
        holds=lambda sql: "FROM partnerships" in sql and "FOR " in sql,
    )

    assert not isinstance(left, Exception), left
    assert not isinstance(changed, Exception) or isinstance(changed, PartnershipOver), changed
    with db.reading() as reading:
        assert reading.session.get_one(Partnership, world.partnership_id).status is PartnershipStatus.ENDED
