"""A coach–learner round after a round in peer mode (the facilitator changed the cohort's pairing mode
mid-programme): a peer partnership still running goes on as it is, whichever partner it stores first, and
neither of its two is proposed a second partner, least of all the same person again."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, Partnership, Workspace
from circles.services.cohorts.config import configure_cohort
from circles.services.cohorts.settings_row import settings_of
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
LATER = NOW + timedelta(days=14)


def peer_round_then_coaching(db: Database, people: dict[str, Role], capacity: int = 2) -> None:
    """The members join (in this order), round 1 pairs them as peers, then the facilitator's own settings
    form switches the cohort to coach–learner pairing."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.PEER, 2, 6
        factories.facilitator(uow.session, co, FAC)
        for user, role in people.items():
            factories.member(uow.session, co, user, role)
            factories.profile(uow.session, ws, user).capacity = capacity
        uow.commit()
    confirm(db, preview(db, NOW), NOW)
    with db.unit_of_work() as uow:
        settings = settings_of(uow.session.scalars(select(Cohort)).one())
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        settings.with_changes(pairing_mode=PairingMode.COACH_LEARNER),
        [FAC],
        user_id=FAC,
        is_admin=False,
        now=NOW + timedelta(days=1),
    )


def preview(db: Database, now: datetime = LATER) -> RoundPlan:
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=now)


def confirm(db: Database, plan: RoundPlan, now: datetime = LATER) -> None:
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=now)


def running(db: Database) -> list[tuple[int, int]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(Partnership).where(Partnership.status != PartnershipStatus.ENDED))
        return sorted((p.first_member_id, p.second_member_id) for p in rows)


def ids(db: Database) -> dict[str, int]:
    with db.unit_of_work() as uow:
        return {m.slack_user_id: m.id for m in uow.session.scalars(select(Member))}


@pytest.mark.parametrize(
    "people",
    [
        {"U0L1": Role.LEARNER, "U0C1": Role.COACH},  # stored (learner, coach): the other way from guidance
        {"U0C1": Role.COACH, "U0L1": Role.LEARNER},  # stored (coach, learner), as guidance is
    ],
    ids=["learner-first", "coach-first"],
)
def test_a_learner_and_coach_partnered_as_peers_are_not_paired_a_second_time_by_a_coaching_round(
    db: Database, people: dict[str, Role]
) -> None:
    peer_round_then_coaching(db, people)
    member = ids(db)
    [peer_pair] = running(db)
    assert peer_pair == tuple(member[user] for user in people)  # stored in the order they joined

    plan = preview(db)
    assert plan.plan["pairs"] == []
    assert plan.plan["unplaced"] == [] or all(u["for"] == "circle" for u in plan.plan["unplaced"])
    if plan.run_id:
        confirm(db, plan)
    assert running(db) == [peer_pair]


def test_both_learners_of_a_running_peer_pair_are_left_to_each_other_by_a_coaching_round(
    db: Database,
) -> None:
    peer_round_then_coaching(
        db, {"U0L1": Role.LEARNER, "U0C1": Role.COACH, "U0L2": Role.LEARNER, "U0C2": Role.COACH}
    )
    member = ids(db)
    learners = (member["U0L1"], member["U0L2"])
    assert learners in running(db)  # round 1 paired the two learners together, and the two coaches

    plan = preview(db)
    # Like a learner whose coach partnership runs: not proposed a coach, and not listed as left out either.
    pairs_of = {key for p in plan.plan["pairs"] for key in (p["first"], p["second"])}
    assert pairs_of.isdisjoint(learners)
    assert {u["member"] for u in plan.plan["unplaced"] if u["for"] == "pair"}.isdisjoint(learners)


def test_a_newcomer_learner_gets_a_coach_whose_peer_partnership_takes_none_of_their_places(
    db: Database,
) -> None:
    peer_round_then_coaching(db, {"U0L1": Role.LEARNER, "U0C1": Role.COACH}, capacity=1)
    with db.unit_of_work() as uow:  # a learner who joins after the switch
        co = uow.session.scalars(select(Cohort)).one()
        factories.member(uow.session, co, "U0L3", Role.LEARNER, at=NOW + timedelta(days=2))
        factories.profile(uow.session, uow.session.get_one(Workspace, co.workspace_id), "U0L3")
        uow.commit()
    member = ids(db)

    plan = preview(db)
    # A peer partnership is no coaching: the coach's one place is free for the learner with no partner.
    assert [(p["first"], p["second"]) for p in plan.plan["pairs"]] == [(member["U0C1"], member["U0L3"])]
