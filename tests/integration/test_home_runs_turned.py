"""The cohorts someone runs, a page turned to after one before it was archived: on both databases, the page
starts right after the last cohort shown, in the database's own order of names (its collation, ties by id)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from circles.domain.paging import Turn, Way
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.people.runs_page import runs_page
from tests import factories
from tests.factories import NOW

PERSON = "U0RUNS"
NAMES = ["Zeta", "alpha", "Alpha", "beta", "Beta", "same", "same", "Émile", "émile", "_x", "10", "9"]


def every_run(db: Database) -> list[str]:
    return [run.slug for run in runs_page(db.reading(), "T0001", PERSON, NOW, page=0, per_page=50).runs]


@pytest.mark.parametrize("gone", [0, 1, 3])
def test_next_starts_right_after_the_last_cohort_shown_when_one_shown_was_archived_meanwhile(
    db: Database, gone: int
) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, "T0001")
        for n, name in enumerate(NAMES):
            factories.facilitator(uow.session, factories.cohort(uow.session, ws, f"c-{n}", name), PERSON)
        uow.commit()
    order = every_run(db)
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).where(Cohort.slug == order[gone]).values(archived_at=NOW))
        uow.commit()
    turn = Turn(1, Way.ON, order[0], order[3])  # the first page showed four
    second = runs_page(db.reading(), "T0001", PERSON, NOW, page=1, per_page=4, turn=turn)
    assert [run.slug for run in second.runs] == order[4:8]
    assert (second.start, second.page, second.total) == (3, 1, len(NAMES) - 1)
