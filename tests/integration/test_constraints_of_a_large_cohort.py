"""The people matching keeps apart, asked for a cohort larger than one statement can name: every conflict is
found once, whichever part of the cohort names it, on SQLite and PostgreSQL (which takes 65,535 bound
values a statement: 32,768 people named twice each were more)."""

from __future__ import annotations

from circles.domain.match_vocabulary import ConstraintKind
from circles.persistence.db import Database
from circles.queries.match_constraints import add_conflict, constrained_pairs
from tests import factories
from tests.factories import NOW

PEOPLE = 33_000


def test_every_conflict_of_a_cohort_of_thirty_three_thousand_is_found_once(db: Database) -> None:
    people = [f"U{n:07d}" for n in range(PEOPLE)]
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session).id
        for one, other in [(people[0], people[-1]), (people[1], people[2]), (people[-2], "U9OUTSIDE")]:
            add_conflict(uow.session, workspace, one, other, ConstraintKind.ASSESSES, set_by="U0FAC", now=NOW)
        add_conflict(
            uow.session, workspace, "U9ELSE", "U9OUTSIDE", ConstraintKind.NEVER, set_by="U0FAC", now=NOW
        )
        uow.commit()

    with db.reading() as reading:
        found = constrained_pairs(reading.session, workspace, people)

    assert sorted(found) == sorted(
        [(people[0], people[-1]), (people[1], people[2]), (people[-2], "U9OUTSIDE")]
    )
