"""A facilitator's settings form opened before a cohort file changed the cohort's facilitators: saving it
would put back the facilitators the file replaced, so it is refused, even after their own earlier save."""

from __future__ import annotations

import pytest

from circles.domain.cohort_file import CohortFile, parse_cohort_file
from circles.errors import CohortSettingsChanged
from circles.persistence.db import Database
from circles.queries.cohorts import facilitator_ids, live_cohort
from circles.services.cohorts.file_import import as_given, import_cohort
from tests.factories import NOW
from tests.integration.test_cohort_settings_saved_since import opened, save

FAC, OTHER, NEWCOMER = "U0FAC1", "U0FAC2", "U0FAC3"


def cohort_file(facilitators: list[str]) -> CohortFile:
    text = (
        "cohort:\n  slug: pgy1\n  name: PGY-1\n  pairing: coach_learner\n"
        f"  facilitators: [{', '.join(facilitators)}]\nmembers:\n  - {{user: U0LEARN, role: learner}}\n"
    )
    return parse_cohort_file(text, "cohort.yml")


def imported(db: Database, facilitators: list[str]) -> None:
    wanted = cohort_file(facilitators)
    import_cohort(db.unit_of_work(), "T0001", wanted, as_given(wanted), now=NOW)


def facilitators_now(db: Database) -> list[str]:
    with db.reading() as reading:
        cohort = live_cohort(reading.session, 1, "pgy1")
        assert cohort is not None
        return sorted(facilitator_ids(reading.session, cohort.id))


def test_a_form_opened_before_a_file_changed_only_the_facilitators_is_refused_after_ones_own_save(
    db: Database,
) -> None:
    imported(db, [FAC, OTHER])
    save(
        db, opened(db, FAC), FAC, name="PGY-1"
    )  # their own save (as the file has it): theirs is the last one
    form = opened(db, FAC)
    imported(db, [FAC, NEWCOMER])  # the file takes OTHER off and adds NEWCOMER, settings as they are

    with pytest.raises(CohortSettingsChanged):
        save(db, form, FAC, circle_max_size=5)  # with the facilitators as the form showed them: FAC and OTHER
    assert facilitators_now(db) == [FAC, NEWCOMER]
