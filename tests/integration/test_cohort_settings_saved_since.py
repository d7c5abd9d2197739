"""Two facilitators with the same cohort's settings form open: the second save never quietly undoes the
first. A form saves only while the settings it was opened with are still the stored ones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.errors import CohortSettingsChanged
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.queries import cohorts
from circles.services.cohorts.config import CohortConfig, cohort_config, configure_cohort, create_cohort
from tests.databases import postgres, raced
from tests.factories import NOW

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

ADMIN, OTHER = "U0ADMIN", "U0FAC2"


def opened(db: Database, user_id: str = ADMIN) -> CohortConfig:
    """What a facilitator's settings form shows as it opens."""
    return cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id=user_id, is_admin=False)


def save(db: Database, form: CohortConfig, user_id: str = ADMIN, **changes: object) -> None:
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        form.settings.with_changes(**changes),
        form.facilitators,
        user_id=user_id,
        is_admin=False,
        now=NOW,
        opened_as=form.digest,
    )


def stored(db: Database) -> Cohort:
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        uow.session.expunge(cohort)
        return cohort


@pytest.fixture
def cohort_of_two(db: Database) -> Database:
    create_cohort(db.unit_of_work(), "T0001", "pgy1", "PGY-1", creator=ADMIN, creator_is_admin=True, now=NOW)
    form = opened(db)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        form.settings,
        [ADMIN, OTHER],
        user_id=ADMIN,
        is_admin=False,
        now=NOW,
    )
    return db


def test_a_form_opened_before_another_facilitator_saved_is_refused_and_changes_nothing(
    cohort_of_two: Database,
) -> None:
    db = cohort_of_two
    mine, theirs = opened(db, ADMIN), opened(db, OTHER)
    save(db, theirs, OTHER, checkin_every_weeks=3)
    with pytest.raises(CohortSettingsChanged) as refused:
        save(db, mine, ADMIN, circle_max_size=5)  # its checkin_every_weeks is still the old 2
    assert refused.value.slug == "pgy1"
    cohort = stored(db)
    assert (cohort.checkin_every_weeks, cohort.circle_max_size) == (3, 6)


def test_a_form_opened_again_after_the_other_save_saves_on_top_of_it(cohort_of_two: Database) -> None:
    db = cohort_of_two
    save(db, opened(db, OTHER), OTHER, checkin_every_weeks=3)
    save(db, opened(db, ADMIN), ADMIN, circle_max_size=5)
    cohort = stored(db)
    assert (cohort.checkin_every_weeks, cohort.circle_max_size) == (3, 5)


def test_a_change_of_facilitators_since_the_form_opened_refuses_it_too(cohort_of_two: Database) -> None:
    db = cohort_of_two
    mine = opened(db, ADMIN)
    theirs = opened(db, OTHER)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        theirs.settings,
        [OTHER],  # takes ADMIN off the cohort
        user_id=OTHER,
        is_admin=False,
        now=NOW,
        opened_as=theirs.digest,
    )
    with pytest.raises(CohortSettingsChanged):
        configure_cohort(
            db.unit_of_work(),
            "T0001",
            "pgy1",
            mine.settings.with_changes(name="Mine"),
            mine.facilitators,
            user_id=ADMIN,
            is_admin=True,  # an admin may still save, but not over a change they have not seen
            now=NOW,
            opened_as=mine.digest,
        )
    with db.unit_of_work() as uow:
        assert cohorts.facilitator_ids(uow.session, stored(db).id) == [OTHER]
    assert stored(db).name == "PGY-1"


def test_ones_own_earlier_save_does_not_refuse_ones_form_but_someone_elses_later_one_does(
    cohort_of_two: Database,
) -> None:
    db = cohort_of_two
    form = opened(db)
    save(db, form, checkin_every_weeks=4)
    save(
        db, form, checkin_every_weeks=4, circle_max_size=5
    )  # the same person's form, sent again: nobody else's change is lost
    assert (stored(db).checkin_every_weeks, stored(db).circle_max_size) == (4, 5)
    save(db, opened(db, OTHER), OTHER, checkin_every_weeks=3)
    with pytest.raises(CohortSettingsChanged):
        save(db, form, circle_max_size=4)
    assert (stored(db).checkin_every_weeks, stored(db).circle_max_size) == (3, 5)


def test_a_form_kept_open_past_someone_elses_save_and_ones_own_later_one_is_refused(
    cohort_of_two: Database,
) -> None:
    db = cohort_of_two
    old = opened(db)
    save(db, opened(db, OTHER), OTHER, checkin_every_weeks=4)
    save(db, opened(db), circle_max_size=5)  # a fresh form, saved: the last save is theirs

    # Before, it passed as their own earlier save, and undid both changes.
    with pytest.raises(CohortSettingsChanged):
        save(db, old, circle_max_size=6)
    assert (stored(db).checkin_every_weeks, stored(db).circle_max_size) == (4, 5)


def test_a_form_that_carries_no_digest_still_saves(cohort_of_two: Database) -> None:
    db = cohort_of_two
    save(db, opened(db, OTHER), OTHER, checkin_every_weeks=3)
    old_form = opened(db)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        old_form.settings.with_changes(circle_max_size=5),
        old_form.facilitators,
        user_id=ADMIN,
        is_admin=False,
        now=NOW,
        opened_as=None,
    )
    assert stored(db).circle_max_size == 5


def test_every_facilitator_opens_the_same_settings_until_one_saves(cohort_of_two: Database) -> None:
    db = cohort_of_two
    before = opened(db, ADMIN).digest
    assert before == opened(db, OTHER).digest == opened(db, ADMIN).digest != ""
    save(db, opened(db), wellbeing_resources="Staff support line: ext. 4400")
    assert opened(db, OTHER).digest != before


@pytest.mark.postgres
def test_two_saves_at_once_on_two_replicas_keep_the_first_and_refuse_the_second(postgres: Database) -> None:
    create_cohort(
        postgres.unit_of_work(), "T0001", "pgy1", "PGY-1", creator=ADMIN, creator_is_admin=True, now=NOW
    )
    form = opened(postgres)
    with postgres.unit_of_work() as first:  # the other replica's save, between its check and its commit
        cohort = first.session.scalars(select(Cohort)).one()
        cohorts.hold_for_change(first.session, cohort)
        cohort.checkin_every_weeks = 3
        outcome = raced(postgres, first, lambda: save(postgres, form, circle_max_size=5))
    assert isinstance(outcome, CohortSettingsChanged)
    cohort = stored(postgres)
    assert (cohort.checkin_every_weeks, cohort.circle_max_size) == (3, 6)
