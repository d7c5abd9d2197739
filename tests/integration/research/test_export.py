"""The research export against the database: a fixed number of statements, and consent read as it stands."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from circles.domain.research.tables import Identifying, IdentifyingColumn
from circles.domain.vocabulary import PartnershipHealthState, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Consent, Escalation, HealthRecord, Workspace
from circles.services.research.consent import decide
from circles.services.research.export import ResearchExport, research_export
from tests import factories
from tests.databases import counted

START = datetime(2027, 1, 4, 9, tzinfo=UTC)
NOW = START + timedelta(weeks=6)
KEY = b"research-key" * 3


def seed(db: Database, pairs: int, first: int = 0) -> None:
    """More coach–learner pairs in pgy1 (made with the first), each with check-ins, health, an escalation
    and a survey, all consenting."""
    with db.unit_of_work() as uow:
        session = uow.session
        co = session.scalars(select(Cohort)).one_or_none()
        if co is None:
            co = factories.cohort(session, factories.workspace(session), "pgy1", at=START)
        ws_id = co.workspace_id
        people = [
            (
                factories.member(session, co, f"U0C{n:06d}", Role.COACH, at=START, flush=False),
                factories.member(session, co, f"U0L{n:06d}", at=START, flush=False),
            )
            for n in range(first, first + pairs)
        ]
        session.flush()
        pairings = [factories.pair(session, c, le, started_at=START, flush=False) for c, le in people]
        session.flush()
        for (coach, learner), pairing in zip(people, pairings, strict=True):
            for week in range(3):
                due = START + timedelta(weeks=week)
                session.add_all(factories.checkin(pairing, m.id, due, 4) for m in (coach, learner))
            session.add(
                HealthRecord(
                    workspace_id=ws_id,
                    cohort_id=co.id,
                    partnership_id=pairing.id,
                    computed_at=START,
                    state=PartnershipHealthState.STRUGGLING,
                )
            )
            session.add(
                Escalation(
                    workspace_id=ws_id,
                    cohort_id=co.id,
                    partnership_id=pairing.id,
                    opened_at=START,
                    claimed_at=START + timedelta(hours=30),
                )
            )
            factories.answered_survey(session, learner, {"fit_in": 4}, START)
        uow.commit()
    for n in range(first, first + pairs):
        for user in (f"U0C{n:06d}", f"U0L{n:06d}"):
            decide(db.unit_of_work(), "T0001", user, "pgy1", True, START)


def export(db: Database, now: datetime = NOW) -> ResearchExport:
    return research_export(db.unit_of_work(), "T0001", "pgy1", now, key=KEY)


def table(made: ResearchExport, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))


def statements(db: Database) -> int:
    with counted(db) as seen:
        export(db)
    return len(seen)


def test_the_export_asks_the_same_number_of_statements_for_two_pairs_as_for_twenty(db: Database) -> None:
    seed(db, 2)
    few = statements(db)
    seed(db, 18, first=2)
    assert statements(db) == few
    made = export(db)
    assert (made.included, made.left_out) == (40, 0)
    assert len(table(made, "checkins")) == 120
    assert len(table(made, "health_transitions")) == 20
    [escalation, *_] = table(made, "escalation_outcomes")
    assert (escalation["claimed_after_days"], escalation["outcome"]) == ("1", "open")
    summary = {(row["week"], row["role"]): row for row in table(made, "summary")}
    assert summary[("2027-W01", "coach")]["members"] == "20"
    assert summary[("2027-W01", "coach")]["mean_rating"] == "4.000"


def test_a_withdrawal_leaves_the_person_and_their_pair_health_out_of_the_next_export(db: Database) -> None:
    seed(db, 2)
    before = export(db)
    decide(db.unit_of_work(), "T0001", "U0L000000", "pgy1", False, NOW)
    after = export(db, NOW + timedelta(minutes=1))
    assert (before.included, after.included, after.left_out) == (4, 3, 1)
    gone = set(row["person_id"] for row in table(before, "people")) - {
        row["person_id"] for row in table(after, "people")
    }
    assert len(gone) == 1
    assert not any(
        gone & set(row.values()) for name in ("checkins", "partnerships") for row in table(after, name)
    )
    assert len(table(after, "health_transitions")) == 1
    assert [row["person_b"] for row in table(after, "partnerships")].count("not_consented") == 1


def test_a_value_naming_someone_of_the_workspace_stops_the_export(db: Database) -> None:
    """The statement's version is the facilitators' words: one that holds a member's name is refused."""
    seed(db, 1)
    with db.unit_of_work() as uow:
        ws_id = uow.session.scalars(select(Cohort.workspace_id)).one()
        profile = factories.profile(uow.session, uow.session.get_one(Workspace, ws_id), "U0C000000")
        profile.display_name = "Noor Haddad"
        uow.session.execute(update(Consent).values(statement_version="noor-draft"))
        uow.session.execute(update(Cohort).values(research_statement_version="noor-draft"))
        uow.commit()
    with pytest.raises(IdentifyingColumn) as refused:
        export(db)
    assert (refused.value.column, refused.value.kind) == ("consent_version", Identifying.NAME)
    assert "noor" not in str(refused.value).lower()
