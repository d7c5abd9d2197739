"""The names check before an export is written: it stops real names, not the export's own vocabulary."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from circles.domain.research.tables import Identifying, IdentifyingColumn
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Consent, Workspace
from tests import factories
from tests.integration.research.test_export import export, seed, table


def named(db: Database, user_id: str, display_name: str) -> None:
    with db.unit_of_work() as uow:
        ws = uow.session.get_one(Workspace, uow.session.scalars(select(Cohort.workspace_id)).one())
        factories.profile(uow.session, ws, user_id).display_name = display_name
        uow.commit()


def test_a_coach_who_calls_themselves_coach_kim_does_not_stop_the_cohorts_export(db: Database) -> None:
    seed(db, 5)
    named(db, "U0C000000", "Coach Kim")
    named(db, "U0L000000", "Active Learner")
    made = export(db)
    assert (made.included, made.left_out) == (10, 0)
    assert {row["role"] for row in table(made, "people")} == {"coach", "learner"}


def test_a_name_in_a_column_of_free_words_still_stops_the_export(db: Database) -> None:
    seed(db, 5)
    named(db, "U0C000000", "Coach Kim")
    with db.unit_of_work() as uow:
        uow.session.execute(update(Consent).values(statement_version="kim-draft"))
        uow.session.execute(update(Cohort).values(research_statement_version="kim-draft"))
        uow.commit()
    with pytest.raises(IdentifyingColumn) as refused:
        export(db)
    assert refused.value.kind is Identifying.NAME


@pytest.mark.parametrize("display_name", ["Sam Lee 2027", "Ward 20 Charge Nurse"])
def test_a_number_in_anyones_display_name_does_not_stop_the_cohorts_export(
    db: Database, display_name: str
) -> None:
    seed(db, 10)
    named(db, "U0OTHER01", display_name)  # not even a member of the cohort: every export stopped
    made = export(db)
    assert made.included == 20
    assert {row["joined_week"] for row in table(made, "people")} == {"2027-W01"}
    totals = {(row["week"], row["role"]): row["members"] for row in table(made, "summary")}
    assert totals[("2027-W01", "all")] == "20"


def test_a_weeks_code_in_a_display_name_does_not_stop_the_export_at_a_week_column(db: Database) -> None:
    seed(db, 5)
    named(db, "U0OTHER01", "Night Nurse W01")
    made = export(db)
    assert {row["started_week"] for row in table(made, "partnerships")} == {"2027-W01"}


def test_a_name_in_a_column_of_free_words_stops_the_export_though_the_name_holds_a_number(
    db: Database,
) -> None:
    seed(db, 5)
    named(db, "U0C000000", "Sam Lee 2027")
    with db.unit_of_work() as uow:
        uow.session.execute(update(Consent).values(statement_version="lee-2027"))
        uow.session.execute(update(Cohort).values(research_statement_version="lee-2027"))
        uow.commit()
    with pytest.raises(IdentifyingColumn) as refused:
        export(db)
    assert (refused.value.column, refused.value.kind) == ("consent_version", Identifying.NAME)
