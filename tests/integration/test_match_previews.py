"""A stored proposal read back on SQLite and PostgreSQL: unchanged, for its cohort's facilitators only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import Role
from circles.errors import NotAFacilitator
from circles.persistence.db import Database
from circles.persistence.models import MatchRun, Workspace
from circles.services.matching.previews import stored_round
from circles.services.matching.rounds import preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"


@pytest.fixture
def run_id(db: Database) -> int:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, FAC)
        for n in range(12):
            factories.member(uow.session, co, f"U0P{n:02d}", Role.PEER, flush=False)
        factories.workspace(uow.session, "T0OTHER")
        uow.commit()
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW).run_id


def test_a_stored_proposal_reads_back_whole_and_stays_a_preview(db: Database, run_id: int) -> None:
    shown = stored_round(db.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=NOW)
    assert (shown.slug, shown.cohort_name, shown.status) == ("pgy1", "PGY-1", RunStatus.PREVIEWED)
    assert sorted(m for c in shown.plan["circles"] for m in c["members"]) == sorted(
        int(key) for key in shown.plan["users"]
    )
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(MatchRun.status)).one() is RunStatus.PREVIEWED


@pytest.mark.parametrize(("team_id", "user_id"), [("T0001", "U0P01"), ("T0OTHER", FAC)])
def test_members_and_other_workspaces_are_refused_without_a_word_about_it(
    db: Database, run_id: int, team_id: str, user_id: str
) -> None:
    with pytest.raises(NotAFacilitator):
        stored_round(db.unit_of_work(), team_id, run_id, user_id=user_id, is_admin=False, now=NOW)
    with pytest.raises(NotAFacilitator):
        stored_round(db.unit_of_work(), "T0001", run_id + 1000, user_id=FAC, is_admin=True, now=NOW)


def test_a_facilitator_of_another_cohort_is_refused_as_for_a_run_that_does_not_exist(
    db: Database, run_id: int
) -> None:
    with db.unit_of_work() as uow:
        workspace = uow.session.scalars(select(Workspace).where(Workspace.team_id == "T0001")).one()
        other = factories.cohort(uow.session, workspace, "ward-7", "Ward 7")
        factories.facilitator(uow.session, other, "U0ELSE")
        uow.commit()
    said = []
    for run in (run_id, run_id + 1000):
        with pytest.raises(NotAFacilitator) as refused:
            stored_round(db.unit_of_work(), "T0001", run, user_id="U0ELSE", is_admin=False, now=NOW)
        said.append(str(refused.value.args))

    assert said[0] == said[1]  # before: "Only the facilitators of `pgy1`…", naming the cohort of that run
    assert "pgy1" not in said[0]
