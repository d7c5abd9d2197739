"""The research export asked for by a facilitator who is one of a pair: that pair is left out."""

from __future__ import annotations

from sqlalchemy import select

from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.research.export import research_export
from tests import factories
from tests.integration.research.test_export import KEY, NOW, seed, table

COACH = "U0C000000"  # coach of the first of the six pairs, and a facilitator of the cohort


def test_a_facilitator_who_is_a_partner_gets_nothing_of_their_own_pair(db: Database) -> None:
    seed(db, 6)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), COACH)
        uow.commit()
    theirs = research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY, facilitator=COACH)
    everyone = research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY)
    assert theirs.own_pairs == 1
    assert everyone.own_pairs == 0
    for name in ("partnerships", "checkins", "health_transitions", "escalation_outcomes"):
        all_pairs = {row["partnership_id"] for row in table(everyone, name)}
        shown = {row["partnership_id"] for row in table(theirs, name)}
        assert len(all_pairs) == 6, name
        assert len(shown) == 5, name
        assert shown < all_pairs, name
