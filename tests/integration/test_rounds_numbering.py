"""Round numbers on SQLite and PostgreSQL: every confirmed round takes the next number, whether or not it
formed circles, while pairs agreed or re-matched before any round count as round 1."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import select

from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.models import Circle, MatchRun, Member, Partnership
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.partnerships.requests import accept_request, request_guide
from circles.services.people.membership import join
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"


def coached_cohort(db: Database, learners: list[str], min_size: int = 4) -> None:
    """One coach with room for three; circles need `min_size` people, more than the cohort may have."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, min_size, 6
        factories.facilitator(uow.session, co, FAC, flush=False)
        factories.member(uow.session, co, "U0COACH", Role.COACH, flush=False)
        factories.profile(uow.session, ws, "U0COACH", flush=False).capacity = 3
        for user in learners:
            factories.member(uow.session, co, user, Role.LEARNER, flush=False)
        uow.commit()


def round_confirmed(db: Database, days: int = 0) -> RoundPlan:
    now = NOW + timedelta(days=days)
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=now)
    return confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=now)


def pair_rounds(db: Database) -> dict[str, int]:
    """The round of each learner's partnership, by learner."""
    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Member.slack_user_id, Partnership.round).join(
                Member, Member.id == Partnership.second_member_id
            )
        )
        return {user: number for user, number in rows}


def test_a_round_that_formed_no_circles_still_counts_and_the_next_is_round_two(db: Database) -> None:
    coached_cohort(db, ["U0L1"])
    first = round_confirmed(db)  # a coach and one learner: a pair, no circle
    join(db.unit_of_work(), "T0001", "pgy1", "U0L2", Role.LEARNER, NOW + timedelta(days=1))

    second = round_confirmed(db, days=14)

    assert (first.round, second.round) == (1, 2)
    assert pair_rounds(db) == {"U0L1": 1, "U0L2": 2}  # "ended in round N" names the right round


def test_the_third_round_is_round_three_after_two_without_circles(db: Database) -> None:
    coached_cohort(db, ["U0L1"])
    round_confirmed(db)
    join(db.unit_of_work(), "T0001", "pgy1", "U0L2", Role.LEARNER, NOW + timedelta(days=1))
    round_confirmed(db, days=14)
    for n in (3, 4):
        join(db.unit_of_work(), "T0001", "pgy1", f"U0L{n}", Role.LEARNER, NOW + timedelta(days=15))

    third = round_confirmed(db, days=28)  # five people now: a circle at last

    assert third.round == 3
    with db.unit_of_work() as uow:
        assert set(uow.session.scalars(select(Circle.round))) == {3}


def test_a_re_match_before_any_round_is_round_one_and_so_is_the_first_round(db: Database) -> None:
    coached_cohort(db, ["U0L1", "U0L2"])
    early = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0L1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", early.run_id, user_id=FAC, is_admin=False, now=NOW)

    first = round_confirmed(db, days=1)

    assert (early.round, first.round) == (1, 1)
    assert pair_rounds(db) == {"U0L1": 1, "U0L2": 1}


def test_a_re_match_after_a_round_without_circles_joins_that_round(db: Database) -> None:
    coached_cohort(db, ["U0L1"])
    round_confirmed(db)
    round_confirmed(db, days=14)  # nothing new to pair, yet a round all the same
    join(db.unit_of_work(), "T0001", "pgy1", "U0L2", Role.LEARNER, NOW + timedelta(days=15))

    late = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0L2", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", late.run_id, user_id=FAC, is_admin=False, now=NOW)

    assert late.round == 2
    assert pair_rounds(db) == {"U0L1": 1, "U0L2": 2}


def test_a_pair_agreed_in_the_directory_after_two_rounds_belongs_to_round_two(db: Database) -> None:
    coached_cohort(db, ["U0L1"])
    round_confirmed(db)
    join(db.unit_of_work(), "T0001", "pgy1", "U0L2", Role.LEARNER, NOW + timedelta(days=1))
    round_confirmed(db, days=14)
    join(db.unit_of_work(), "T0001", "pgy1", "U0L3", Role.LEARNER, NOW + timedelta(days=15))

    later = NOW + timedelta(days=16)
    asked = request_guide(db.unit_of_work(), "T0001", "U0L3", "pgy1", "U0COACH", later)
    accept_request(db.unit_of_work(), "T0001", "U0COACH", asked.request_id, later)

    assert pair_rounds(db) == {"U0L1": 1, "U0L2": 2, "U0L3": 2}


def test_a_pair_agreed_in_the_directory_before_any_round_is_round_one(db: Database) -> None:
    coached_cohort(db, ["U0L1", "U0L2"])
    asked = request_guide(db.unit_of_work(), "T0001", "U0L1", "pgy1", "U0COACH", NOW)
    accept_request(db.unit_of_work(), "T0001", "U0COACH", asked.request_id, NOW)

    first = round_confirmed(db, days=1)

    assert first.round == 1
    assert pair_rounds(db) == {"U0L1": 1, "U0L2": 1}


def test_re_matches_kept_before_the_upgrade_are_told_apart_from_rounds(from_empty: Database) -> None:
    with from_empty.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        for number, plan in ((1, {"rematch": {"member": 1, "user": "U0L1"}}), (1, {}), (2, {})):
            uow.session.add(
                MatchRun(
                    workspace_id=co.workspace_id,
                    cohort_id=co.id,
                    round=number,
                    seed=1,
                    fingerprint="f",
                    plan=plan,
                    status=RunStatus.COMPLETE,
                    requested_by=FAC,
                    created_at=NOW,
                )
            )
        uow.commit()

    command.downgrade(migrate.alembic_config(from_empty.engine), "0027")
    migrate.upgrade(from_empty.engine)

    with from_empty.unit_of_work() as uow:
        kept = uow.session.execute(select(MatchRun.round, MatchRun.rematch).order_by(MatchRun.id)).all()
    assert [tuple(row) for row in kept] == [(1, True), (1, False), (2, False)]
