"""An org-wide tenant, on SQLite and PostgreSQL: its circles meet in group DMs, so settings larger than one
holds are refused, and a cohort saved before that check still forms no circle larger than Slack allows."""

from __future__ import annotations

import pytest

from circles.domain.cohort_rules import CohortSettings
from circles.domain.cohort_rules.problems import GROUP_DM_MAX
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.errors import InvalidCohortSettings
from circles.persistence.db import Database
from circles.services.cohorts.config import configure_cohort
from circles.services.matching.rounds import preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
ORG, TEAM = "E0ORG1", "T0001"


def seeded(db: Database, key: str, people: int = 10) -> None:
    """A cohort stored with circles of 9 to 10 in private channels, as a cohort saved before the check."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, key)
        ws.kind = "org" if key == ORG else "team"
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.NONE, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size, co.circle_max_size = 9, 10
        factories.facilitator(uow.session, co, FAC)
        for n in range(people):
            factories.member(uow.session, co, f"U0P{n:02d}", Role.PEER, flush=False)
        uow.commit()


def save(db: Database, key: str, largest: int) -> None:
    settings = CohortSettings(
        name="PGY-1", circle_min_size=4, circle_max_size=largest, meeting_place=MeetingPlace.PRIVATE_CHANNEL
    )
    configure_cohort(db.unit_of_work(), key, "pgy1", settings, [FAC], user_id=FAC, is_admin=False, now=NOW)


def test_an_organisation_cannot_save_circles_larger_than_a_group_dm(db: Database) -> None:
    seeded(db, ORG)
    with pytest.raises(InvalidCohortSettings) as refused:
        save(db, ORG, 10)
    assert "group DM" in refused.value.problems["circle_max_size"]
    save(db, ORG, GROUP_DM_MAX)


def test_a_workspace_keeps_its_private_channels_of_ten(db: Database) -> None:
    seeded(db, TEAM)
    plan = preview_round(db.unit_of_work(), TEAM, "pgy1", user_id=FAC, is_admin=False, now=NOW)
    assert [len(c["members"]) for c in plan.plan["circles"]] == [10]
    save(db, TEAM, 10)


def test_an_organisation_cohort_saved_before_the_check_forms_no_oversized_group_dm(db: Database) -> None:
    seeded(db, ORG, people=16)
    plan = preview_round(db.unit_of_work(), ORG, "pgy1", user_id=FAC, is_admin=False, now=NOW)
    sizes = [len(c["members"]) for c in plan.plan["circles"]]
    assert sum(sizes) == 16
    assert max(sizes) <= GROUP_DM_MAX


def test_ten_people_of_an_organisation_are_all_placed_in_group_dms(db: Database) -> None:
    seeded(db, ORG, people=10)
    plan = preview_round(db.unit_of_work(), ORG, "pgy1", user_id=FAC, is_admin=False, now=NOW)
    sizes = sorted(len(c["members"]) for c in plan.plan["circles"])
    assert sum(sizes) == 10
    assert max(sizes) <= GROUP_DM_MAX
