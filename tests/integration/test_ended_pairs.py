"""Ended pairs stay apart on SQLite and PostgreSQL, until a facilitator of the cohort allows them again."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EndReason, PairingMode, PartnershipStatus, Role
from circles.errors import NoEndedPartnership, NotAFacilitator
from circles.persistence.costs import Costs, StepCost
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, Partnership, Workspace
from circles.services.matching.inputs import gather
from circles.services.matching.overrides import allow_pair_again
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.partnerships.changes import end_partnership
from circles.services.people.membership import join, leave
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
LATER = NOW + timedelta(days=14)
PEOPLE = {"U0C1": Role.COACH, "U0C2": Role.COACH, "U0L1": Role.LEARNER, "U0L2": Role.LEARNER}


def seeded(db: Database) -> None:
    """Two coaches with room for one each, two learners; round one pairs them all."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, 2, 3
        co.match_look_back_rounds = 1  # repeats of groupings: last round only; endings: always
        factories.facilitator(uow.session, co, FAC)
        for user, role in PEOPLE.items():
            factories.member(uow.session, co, user, role)
            profile = factories.profile(uow.session, ws, user)
            profile.interests, profile.capacity = "wellbeing", 1
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)


def ids(db: Database) -> dict[str, int]:
    with db.unit_of_work() as uow:
        return {m.slack_user_id: m.id for m in uow.session.scalars(select(Member))}


def partner_of(db: Database, learner: str) -> tuple[int, int]:
    """The learner's running partnership: its id and the coach's member id."""
    with db.unit_of_work() as uow:
        row = uow.session.scalars(
            select(Partnership).where(
                Partnership.second_member_id == ids(db)[learner],
                Partnership.status != PartnershipStatus.ENDED,
            )
        ).one()
        return row.id, row.first_member_id


def together(plan: RoundPlan) -> set[frozenset[int]]:
    circles = {frozenset(c) for g in plan.plan["circles"] for c in combinations(g["members"], 2)}
    return circles | {frozenset((p["first"], p["second"])) for p in plan.plan["pairs"]}


def next_round(db: Database) -> RoundPlan:
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER)


def test_a_pair_the_learner_ended_is_neither_paired_nor_circled_again_and_the_preview_names_it(
    db: Database,
) -> None:
    seeded(db)
    partnership, coach = partner_of(db, "U0L1")
    end_partnership(
        db.unit_of_work(),
        "T0001",
        "U0L1",
        partnership,
        "not the right fit",
        NOW,
        request_key=factories.request_key(),
    )
    plan = next_round(db)
    learner = ids(db)["U0L1"]
    assert frozenset((coach, learner)) not in together(plan)
    assert plan.plan["kept_apart"] == [{"first": coach, "second": learner, "round": 1}]
    assert plan.plan["repeats"] == len(plan.plan["repeated"])


def test_a_pair_ended_when_a_member_left_stays_apart_after_they_come_back(db: Database) -> None:
    seeded(db)
    _, coach = partner_of(db, "U0L1")
    leave(db.unit_of_work(), "T0001", "pgy1", "U0L1", NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0L1", Role.LEARNER, NOW)
    with db.unit_of_work() as uow:
        reasons = set(uow.session.scalars(select(Partnership.end_reason)))
    assert EndReason.MEMBER_LEFT in reasons
    rematch = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", "U0L1", user_id=FAC, is_admin=False, now=LATER
    )
    offered = {p["first"] for p in rematch.plan["pairs"]}
    assert coach not in offered
    assert [k["first"] for k in rematch.plan["kept_apart"]] == [coach]


def test_a_facilitator_allows_the_pair_again_and_the_fresh_preview_names_it_as_a_repeat(db: Database) -> None:
    seeded(db)
    partnership, coach = partner_of(db, "U0L1")
    end_partnership(
        db.unit_of_work(), "T0001", "U0L1", partnership, "", NOW, request_key=factories.request_key()
    )
    learner = ids(db)["U0L1"]
    before = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", "U0L1", user_id=FAC, is_admin=False, now=LATER
    )
    assert before.plan["pairs"] == []  # the other coach is full: only the ex-coach has room
    assert "ended partnership" in before.plan["unplaced"][0]["reason"]
    fresh = allow_pair_again(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        (learner, coach),
        rematch_user_id="U0L1",
        user_id=FAC,
        is_admin=False,
        now=LATER,
    )
    assert fresh.plan["kept_apart"] == []
    assert [(p["first"], p["second"]) for p in fresh.plan["pairs"]] == [(coach, learner)]
    assert {"first": coach, "second": learner, "where": "partners", "allowed": True} in fresh.plan["repeated"]
    assert fresh.plan["repeats"] >= 1
    round_plan = next_round(db)
    assert round_plan.plan["kept_apart"] == []


def test_a_pair_allowed_again_that_ends_again_is_kept_apart_again(db: Database) -> None:
    seeded(db)
    first, coach = partner_of(db, "U0L1")
    end_partnership(db.unit_of_work(), "T0001", "U0L1", first, "", NOW, request_key=factories.request_key())
    learner = ids(db)["U0L1"]
    fresh = allow_pair_again(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        (coach, learner),
        rematch_user_id="U0L1",
        user_id=FAC,
        is_admin=False,
        now=NOW,
    )
    confirm_round(db.unit_of_work(), "T0001", fresh.run_id, user_id=FAC, is_admin=False, now=NOW)
    again, _ = partner_of(db, "U0L1")
    end_partnership(db.unit_of_work(), "T0001", "U0L1", again, "", LATER, request_key=factories.request_key())
    plan = next_round(db)
    assert [(k["first"], k["second"]) for k in plan.plan["kept_apart"]] == [(coach, learner)]
    assert frozenset((coach, learner)) not in together(plan)


def test_only_the_cohorts_facilitators_allow_a_pair_again_and_only_a_pair_that_ended(db: Database) -> None:
    seeded(db)
    partnership, coach = partner_of(db, "U0L1")
    learner, other = ids(db)["U0L1"], ids(db)["U0L2"]
    with pytest.raises(NoEndedPartnership):  # still running
        allow_pair_again(
            db.unit_of_work(),
            "T0001",
            "pgy1",
            (coach, learner),
            rematch_user_id=None,
            user_id=FAC,
            is_admin=False,
            now=NOW,
        )
    end_partnership(
        db.unit_of_work(), "T0001", "U0L1", partnership, "", NOW, request_key=factories.request_key()
    )
    with db.unit_of_work() as uow:
        elsewhere = factories.cohort(
            uow.session, uow.session.scalars(select(Workspace)).one(), "other", "Other"
        )
        factories.facilitator(uow.session, elsewhere, "U0ELSE")
        uow.commit()
    for outsider in ("U0L2", "U0ELSE"):
        with pytest.raises(NotAFacilitator):
            allow_pair_again(
                db.unit_of_work(),
                "T0001",
                "pgy1",
                (coach, learner),
                rematch_user_id=None,
                user_id=outsider,
                is_admin=False,
                now=NOW,
            )
    with pytest.raises(NoEndedPartnership):  # never partners
        allow_pair_again(
            db.unit_of_work(),
            "T0001",
            "pgy1",
            (other, learner),
            rematch_user_id=None,
            user_id=FAC,
            is_admin=False,
            now=NOW,
        )
    assert next_round(db).plan["kept_apart"] != []


def test_ended_pairs_are_read_in_the_same_few_queries_however_many_there_are(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        coach = factories.member(uow.session, co, "U0C", Role.COACH)
        learners = [
            factories.member(uow.session, co, f"U0L{i}", Role.LEARNER, flush=False) for i in range(40)
        ]
        uow.commit()
    counts = []
    for ended in (1, 40):
        with db.unit_of_work() as uow:
            for learner in learners[:ended]:
                factories.pair(
                    uow.session, coach, learner, status=PartnershipStatus.ENDED, end_reason=EndReason.NO_FAULT
                )
            uow.commit()
        costs: dict[str, StepCost] = {}
        with db.unit_of_work() as uow, Costs(db.engine, costs) as cost, cost("gather"):
            inputs = gather(uow.session, uow.session.get_one(Cohort, co.id), NOW)
        counts.append(costs["gather"].statements)
        assert len(inputs.ended.apart) == ended
    assert counts[0] == counts[1]
