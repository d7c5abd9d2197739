"""Two admins create the same cohort at the same moment from two replicas (PostgreSQL): the one that comes
second is told the slug is taken, as when it was taken before, not a fault of the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text

from circles.domain.cohort_rules import CohortSettings
from circles.errors import SlugTaken
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.cohorts.config import create_cohort
from circles.services.cohorts.settings_row import apply_settings
from tests.databases import postgres_db, raced
from tests.factories import NOW


@pytest.fixture
def postgres() -> Iterator[Database]:
    with postgres_db() as db:
        yield db


def create(db: Database, creator: str) -> None:
    uow = db.unit_of_work()
    create_cohort(uow, "T0001", "pgy1", "PGY-1", creator=creator, creator_is_admin=True, now=NOW)


@pytest.mark.postgres
def test_the_second_of_two_creations_at_once_is_told_the_slug_is_taken(postgres: Database) -> None:
    create(postgres, "U0ADMIN")  # the workspace exists; this cohort is archived out of the way
    with postgres.engine.begin() as connection:
        connection.execute(text("UPDATE cohorts SET slug = 'old', archived_at = now()"))
    with postgres.unit_of_work() as first:  # the other replica, between its check and its commit
        old = first.session.scalars(select(Cohort)).one()
        cohort = Cohort(workspace_id=old.workspace_id, slug="pgy1", created_by="U0ADMIN", created_at=NOW)
        apply_settings(cohort, CohortSettings(name="PGY-1"))
        first.session.add(cohort)
        raised = raced(postgres, first, lambda: create(postgres, "U0OTHER"))
    assert isinstance(raised, SlugTaken), raised
    with postgres.reading() as reading:
        assert reading.session.scalar(select(func.count()).select_from(Cohort)) == 2
