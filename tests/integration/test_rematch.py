"""Re-matching one member on SQLite and PostgreSQL: placed by the round's rules, stale previews refused."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.errors import NotAFacilitator, StalePreview
from circles.persistence.db import Database
from circles.persistence.models import CircleMembership, Cohort, Member, Partnership
from circles.services.matching.inputs import gather
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round, preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"


def seeded(db: Database, mode: PairingMode, people: dict[str, Role]) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = mode, 3, 4
        factories.facilitator(uow.session, co, FAC)
        for user, role in people.items():
            factories.member(uow.session, co, user, role, flush=False)
            factories.profile(uow.session, ws, user, flush=False).interests = "wellbeing teaching"
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)


def add(db: Database, user: str, role: Role) -> None:
    with db.unit_of_work() as uow:
        cohort_id = uow.session.scalars(select(Member.cohort_id)).first()
        uow.session.add(
            Member(workspace_id=1, cohort_id=cohort_id, slack_user_id=user, role=role, joined_at=NOW)
        )
        uow.commit()


PEERS = {f"U0P{i}": Role.PEER for i in range(1, 8)}  # seven: one odd one out in pairs


def test_a_newcomer_joins_a_circle_and_pairs_with_the_peer_left_over(db: Database) -> None:
    seeded(db, PairingMode.PEER, PEERS)
    add(db, "U0NEW", Role.PEER)
    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0NEW", user_id=FAC, is_admin=False, now=NOW)
    assert len(plan.plan["joins"]) == 1
    assert len(plan.plan["pairs"]) == 1
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    with db.unit_of_work() as uow:
        new = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0NEW")).one()
        assert uow.session.scalars(select(CircleMembership).where(CircleMembership.member_id == new.id)).one()
        partnerships = uow.session.scalars(select(Partnership)).all()
        partnered = [p for p in partnerships if new.id in (p.first_member_id, p.second_member_id)]
        busy = [m for p in partnerships for m in (p.first_member_id, p.second_member_id)]
    assert len(partnered) == 1
    assert len(busy) == len(set(busy))  # nobody has two partners


def test_a_re_match_preview_goes_stale_when_members_change(db: Database) -> None:
    seeded(db, PairingMode.NONE, PEERS)
    add(db, "U0NEW", Role.PEER)
    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0NEW", user_id=FAC, is_admin=False, now=NOW)
    add(db, "U0LATE", Role.PEER)
    with pytest.raises(StalePreview) as stale:
        confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    assert stale.value.rematch_user_id == "U0NEW"


def test_only_facilitators_re_match(db: Database) -> None:
    seeded(db, PairingMode.NONE, PEERS)
    with pytest.raises(NotAFacilitator):
        preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0P1", user_id="U0P2", is_admin=False, now=NOW)


def test_the_look_back_window_limits_which_earlier_rounds_count_as_repeats(db: Database) -> None:
    seeded(db, PairingMode.NONE, PEERS)
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        every = gather(uow.session, cohort, NOW).history
        cohort.match_look_back_rounds = 1
        last_only = gather(uow.session, cohort, NOW, cohort.match_look_back_rounds).history
        round_two = {
            frozenset(p)
            for circle in plan.plan["circles"]
            for p in itertools.combinations(circle["members"], 2)
        }
    assert last_only == round_two
    assert every > last_only  # round one's groupings count only with the full window
