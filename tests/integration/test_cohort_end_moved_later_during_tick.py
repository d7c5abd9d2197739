"""A facilitator moves a cohort's end later just as a tick completes the pairs of the cohort, whose old end
is over (two replicas, PostgreSQL): whichever commits first, the pairs carry on once both have, as the
saved end says. SQLite's writers take turns, so there is no race there."""

from __future__ import annotations

from datetime import timedelta

import pytest

from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.db import Database
from circles.services.partnerships.changes import complete_finished_cohorts
from tests.databases import raced
from tests.factories import NOW
from tests.integration.test_cohort_end_moved_later import coached_pairs, moved_to, states
from tests.integration.test_erasure_leave_during_confirm import CommitAfter

RUNNING = (PartnershipStatus.ACTIVE, None)
NEW_END = NOW.date() + timedelta(weeks=4)


def ticked(db: Database) -> int:
    """The tick's first step, its completions, in a transaction of its own: how many pairs it completed."""
    with db.unit_of_work() as uow:
        completed = complete_finished_cohorts(uow.session, NOW)
        uow.commit()
    return completed


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_pairs_carry_on_when_the_tick_runs_while_a_save_moving_the_end_later_is_being_committed(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("one", "two"))
    saving = CommitAfter(db, lambda: ticked(db))  # the save, held at its commit while the tick runs

    moved_to(db, NEW_END, uow=saving)

    [completed] = saving.outcome
    assert completed == 0  # before: 2, completed by an end the facilitator had just moved
    assert states(db, pairs) == {"one": RUNNING, "two": RUNNING}
    assert ticked(db) == 0  # and the next pass, which reads the end as saved, leaves them running


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_pairs_carry_on_when_a_save_moves_the_end_later_while_the_tick_completing_them_commits(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("one", "two"))
    with db.unit_of_work() as tick:  # the tick, held at its commit while the facilitator saves
        assert complete_finished_cohorts(tick.session, NOW) == 2
        saved = raced(db, tick, lambda: moved_to(db, NEW_END))

    assert not isinstance(saved, BaseException), saved
    # before: both stayed completed, though "settings saved" and the new end stored
    assert states(db, pairs) == {"one": RUNNING, "two": RUNNING}
