"""A pass writing rows that point at a cohort or a pair does not hide them from the passes beside it.

On PostgreSQL, inserting a check-in or a health record takes a key-share lock on its cohort and its
partnership. Due rows are claimed `FOR NO KEY UPDATE SKIP LOCKED`, which that lock does not block: a
prompt due now is planned by this pass, not left to a later tick because another pass was writing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from circles.domain.vocabulary import PartnershipHealthState, Role
from circles.persistence.db import Database
from circles.persistence.models import Partnership
from circles.queries.cohorts import lock_due_cohorts
from circles.queries.health.due import take_due_partnerships
from circles.queries.health.history import add_history
from tests import factories
from tests.databases import migrated_postgres

NOW = factories.NOW

pytestmark = pytest.mark.postgres


@pytest.fixture
def db() -> Iterator[Database]:
    with migrated_postgres() as url:
        database = Database(url)
        yield database
        database.dispose()


def a_due_pair(db: Database) -> tuple[int, int]:
    """A cohort due for planning with one pair due for a look; their ids."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.member(uow.session, co, "U0ADA", Role.COACH)
        factories.member(uow.session, co, "U0LEE")
        pair = factories.partnership(uow.session, "U0ADA", "U0LEE")
        pair.health_due_at = NOW - timedelta(minutes=1)
        uow.commit()
        return co.id, pair.id


def test_a_pass_writing_a_checkin_and_a_health_record_does_not_hide_the_cohort_and_pair_from_another(
    db: Database,
) -> None:
    cohort_id, pair_id = a_due_pair(db)
    with db.unit_of_work() as writing, db.unit_of_work() as planning:
        pair = writing.session.get_one(Partnership, pair_id)
        writing.session.add(factories.checkin(pair, pair.second_member_id, NOW))
        history = {
            "workspace_id": pair.workspace_id,
            "cohort_id": cohort_id,
            "partnership_id": pair_id,
            "computed_at": NOW,
            "state": PartnershipHealthState.STEADY,
        }
        add_history(writing.session, [history])  # as the health pass writes it
        writing.session.flush()  # the inserts hold their key-share locks until `writing` ends

        due = lock_due_cohorts(planning.session, NOW + timedelta(days=1), limit=10)
        looked_at = take_due_partnerships(planning.session, NOW)

    assert [cohort.id for cohort, _uninstalled in due] == [cohort_id]
    assert looked_at == [pair_id]
