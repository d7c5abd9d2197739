"""A cohort's later rounds on SQLite and PostgreSQL: a running pair stays the learner's only one, and
someone who left and came back is placed in a circle again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import CircleMembership, CreationStep, Member, Partnership
from circles.services.matching.constraints import set_own_blocks
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.people.membership import join, leave
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
LATER = NOW + timedelta(days=14)


def cohort_of(db: Database, mode: PairingMode, people: dict[str, Role], sizes: tuple[int, int]) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, (co.circle_min_size, co.circle_max_size) = mode, sizes
        factories.facilitator(uow.session, co, FAC)
        for user, role in people.items():
            factories.member(uow.session, co, user, role)
            factories.profile(uow.session, ws, user).capacity = 1
        uow.commit()


def preview(db: Database, now: datetime) -> RoundPlan:
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=now)


def confirm(db: Database, plan: RoundPlan, now: datetime) -> RoundPlan:
    return confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=now)


def ids(db: Database) -> dict[str, int]:
    with db.unit_of_work() as uow:
        return {m.slack_user_id: m.id for m in uow.session.scalars(select(Member))}


def coaches_of(db: Database, learner: int) -> list[int]:
    with db.unit_of_work() as uow:
        query = select(Partnership.first_member_id).where(
            Partnership.second_member_id == learner, Partnership.status != PartnershipStatus.ENDED
        )
        return list(uow.session.scalars(query))


def test_a_learner_who_privately_blocks_their_running_coach_is_not_given_a_second_coach(db: Database) -> None:
    people = {"U0C1": Role.COACH, "U0C2": Role.COACH, "U0L1": Role.LEARNER}
    cohort_of(db, PairingMode.COACH_LEARNER, people, (2, 4))
    confirm(db, preview(db, NOW), NOW)
    learner = ids(db)["U0L1"]
    [coach] = coaches_of(db, learner)
    coach_user = {v: k for k, v in ids(db).items()}[coach]
    set_own_blocks(db.unit_of_work(), "T0001", "U0L1", [coach_user], NOW)

    plan = preview(db, LATER)
    confirm(db, plan, LATER)

    assert all(learner not in (p["first"], p["second"]) for p in plan.plan["pairs"])
    assert coaches_of(db, learner) == [coach]  # the running pair goes on; nobody is told of the block


def test_someone_who_left_and_came_back_is_placed_in_a_circle_again_by_a_re_match(db: Database) -> None:
    cohort_of(db, PairingMode.NONE, {f"U0P{i}": Role.PEER for i in range(4)}, (2, 4))
    confirm(db, preview(db, NOW), NOW)  # one circle of four, whose channel they are taken out of
    leave(db.unit_of_work(), "T0001", "pgy1", "U0P1", NOW + timedelta(days=1))
    join(db.unit_of_work(), "T0001", "pgy1", "U0P1", Role.PEER, NOW + timedelta(days=2))

    back = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0P1", user_id=FAC, is_admin=False, now=LATER)
    assert [j["member"] for j in back.plan["joins"]] == [ids(db)["U0P1"]]
    confirm(db, back, LATER)

    with db.unit_of_work() as uow:
        seats = uow.session.scalars(
            select(CircleMembership.joined_at).where(CircleMembership.member_id == ids(db)["U0P1"])
        ).all()
    assert [seat.replace(tzinfo=None) for seat in seats] == [LATER.replace(tzinfo=None)]  # back in its place
    with db.unit_of_work() as uow:
        steps = uow.session.scalars(select(CreationStep.kind).where(CreationStep.run_id == back.run_id))
        assert StepKind.CIRCLE_INVITE in set(steps)  # invited into the channel again


def test_a_circle_place_left_by_someone_who_came_back_is_free_for_a_newcomer(db: Database) -> None:
    cohort_of(db, PairingMode.NONE, {f"U0P{i}": Role.PEER for i in range(4)}, (2, 4))
    confirm(db, preview(db, NOW), NOW)  # one circle of four: full
    leave(db.unit_of_work(), "T0001", "pgy1", "U0P1", NOW + timedelta(days=1))
    join(db.unit_of_work(), "T0001", "pgy1", "U0P1", Role.PEER, NOW + timedelta(days=2))
    join(db.unit_of_work(), "T0001", "pgy1", "U0NEW", Role.PEER, NOW + timedelta(days=2))

    newcomer = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", "U0NEW", user_id=FAC, is_admin=False, now=LATER
    )

    assert [j["member"] for j in newcomer.plan["joins"]] == [ids(db)["U0NEW"]]
