"""A cohort's slug is the facilitators' own words and cannot be changed: one holding a word of someone's name
is left out of the research export (its files and the ZIP's name), and the export goes on."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from circles.persistence.db import Database
from circles.services.research.consent import decide
from circles.services.research.export import ResearchExport, research_export
from tests import factories
from tests.integration.research.test_export import KEY, START, table

MEMBERS = [f"U0M{i:06d}" for i in range(6)]


def cohort_named(db: Database, slug: str, facilitator: str) -> ResearchExport:
    """A cohort of six consenting members under this slug, run by someone Slack names so; its export."""
    with db.unit_of_work() as uow:
        session = uow.session
        workspace = factories.workspace(session)
        cohort = factories.cohort(session, workspace, slug, at=START)
        factories.facilitator(session, cohort, "U0NOOR")
        factories.profile(session, workspace, "U0NOOR").display_name = facilitator
        for user in MEMBERS:
            factories.member(session, cohort, user, at=START)
        uow.commit()
    for user in MEMBERS:
        decide(db.unit_of_work(), "T0001", user, slug, True, START)
    return research_export(db.unit_of_work(), "T0001", slug, START + timedelta(weeks=2), key=KEY)


def files(made: ResearchExport) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_a_slug_holding_a_facilitators_surname_is_left_out_of_the_package_and_its_name(db: Database) -> None:
    made = cohort_named(db, "haddad-mentees", "Noor Haddad")
    assert made.included == 6
    assert [name for name, text in files(made).items() if "haddad" in text.lower()] == []
    assert made.filename == "circles-research-20270118.zip"
    readme = files(made)["README.txt"]
    assert "slug is left out (it holds a word of a name in the workspace)" in readme.splitlines()[0]
    assert json.loads(files(made)["datapackage.json"])["name"] == "circles-research"
    assert len(table(made, "people")) == 6


def test_a_slug_naming_nobody_names_the_package_and_its_file(db: Database) -> None:
    made = cohort_named(db, "pgy1-spring", "Noor Haddad")
    assert made.filename == "pgy1-spring-research-20270118.zip"
    assert files(made)["README.txt"].splitlines()[0] == "Circles research export: cohort pgy1-spring"
    assert json.loads(files(made)["datapackage.json"])["name"] == "circles-pgy1-spring-research"
