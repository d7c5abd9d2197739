"""A coach accepts a learner's request on one replica while, on another (PostgreSQL), an operator imports
the cohort's file, which changes the coach's profile: one waits for the other and both are done, never a
deadlock (which would have told the coach that something went wrong)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.cohort_file import parse_cohort_file
from circles.persistence.db import Database
from circles.persistence.models import Profile
from circles.services.cohorts.file_import import as_given, import_cohort
from circles.services.partnerships.requests import accept_request, request_guide
from tests.databases import postgres
from tests.factories import NOW
from tests.integration.test_request_round_race import (
    COACHES,
    FAC,
    LEARNER,
    coaches_of_learner,
    cohort_with_two_coaches,
    while_held,
)

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own


def imported(db: Database) -> None:
    """The cohort's file: the first coach now takes three learners."""
    text = (
        f"cohort:\n  slug: pgy1\n  name: PGY-1\n  pairing: coach_learner\n  facilitators: [{FAC}]\nmembers:\n"
        f"  - {{user: {COACHES[0]}, role: coach, capacity: 3}}\n"
        f"  - {{user: {COACHES[1]}, role: coach, capacity: 2}}\n"
        f"  - {{user: {LEARNER}, role: learner}}\n"
    )
    wanted = parse_cohort_file(text, "cohort.yml")
    import_cohort(db.unit_of_work(), "T0001", wanted, as_given(wanted), now=NOW)


@pytest.mark.postgres
def test_a_request_accepted_while_the_file_changing_the_coachs_profile_is_imported_is_accepted(
    postgres: Database,
) -> None:
    cohort_with_two_coaches(postgres)
    request_id = request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW).request_id

    accepted, applied = while_held(
        postgres,
        lambda: accept_request(postgres.unit_of_work(), "T0001", COACHES[0], request_id, NOW),
        lambda: imported(postgres),
        # the coach's profile is held: the import runs now, up to what it waits for
        holds=lambda sql: "FROM profiles" in sql and "FOR UPDATE" in sql,
    )

    assert not isinstance(accepted, Exception), accepted
    assert applied is None, applied
    assert coaches_of_learner(postgres) == [COACHES[0]]
    with postgres.reading() as reading:
        capacity = select(Profile.capacity).where(Profile.slack_user_id == COACHES[0])
        assert reading.session.scalars(capacity).one() == 3
