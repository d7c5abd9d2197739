"""Who facilitates what, asked once in circles.queries.cohorts, and a pair's override added only once."""

from __future__ import annotations

from circles.persistence.db import Database
from circles.queries.cohorts import facilitated_cohorts, facilitator_ids, is_facilitator, slug_taken
from circles.queries.pair_overrides import add_override_once, overrides_of
from tests import factories
from tests.factories import NOW


def test_a_facilitator_sees_their_live_cohorts_of_this_workspace_by_name(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws, other_ws = factories.workspace(uow.session), factories.workspace(uow.session, "T0002")
        spring = factories.cohort(uow.session, ws, "spring", "B spring")
        autumn = factories.cohort(uow.session, ws, "autumn", "A autumn")
        archived = factories.cohort(uow.session, ws, "old", "C old")
        archived.archived_at = NOW
        elsewhere = factories.cohort(uow.session, other_ws, "spring", "B spring")
        for cohort in (spring, autumn, archived, elsewhere):
            factories.facilitator(uow.session, cohort, "U0FAC", flush=False)
        factories.facilitator(uow.session, spring, "U0ALSO", flush=False)
        uow.session.flush()

        assert [c.slug for c in facilitated_cohorts(uow.session, ws.id, "U0FAC")] == ["autumn", "spring"]
        assert facilitated_cohorts(uow.session, ws.id, "U0NOBODY") == []
        assert facilitator_ids(uow.session, spring.id) == ["U0ALSO", "U0FAC"]
        assert is_facilitator(uow.session, spring.id, "U0ALSO")
        assert not is_facilitator(uow.session, autumn.id, "U0ALSO")
        assert slug_taken(uow.session, ws.id, "old")
        assert not slug_taken(uow.session, ws.id, "new")


def test_an_override_is_added_once_and_found_after(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        first = factories.member(uow.session, cohort, "U0A").id
        second = factories.member(uow.session, cohort, "U0B").id

        added, was_added = add_override_once(uow.session, ws.id, cohort.id, (first, second), "U0FAC", NOW)
        again, added_again = add_override_once(uow.session, ws.id, cohort.id, (first, second), "U0X", NOW)

        assert was_added
        assert not added_again
        assert (again.id, again.set_by) == (added.id, "U0FAC")
        assert [(o.first, o.second) for o in overrides_of(uow.session, cohort.id, (first, second))] == [
            (first, second)
        ]
