"""A coach's places across rounds and cohorts, on SQLite and PostgreSQL: capacity is for all their cohorts,
and a pair with someone on a break keeps its place."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Member, Partnership
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.people.membership import pause
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"


def seeded(db: Database, people: dict[str, dict[str, Role]], capacity: int = 2) -> None:
    """Coaching cohorts by slug, each with its members; every coach offers `capacity` places."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        profiles: set[str] = set()
        for slug, members in people.items():
            co = factories.cohort(uow.session, ws, slug, slug.upper())
            co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, 2, 6
            factories.facilitator(uow.session, co, FAC)
            for user, role in members.items():
                factories.member(uow.session, co, user, role, flush=False)
                if user not in profiles:
                    profiles.add(user)
                    factories.profile(uow.session, ws, user, flush=False).capacity = (
                        capacity if role.guides else 0
                    )
        uow.commit()


def match(db: Database, slug: str) -> RoundPlan:
    plan = preview_round(db.unit_of_work(), "T0001", slug, user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan


def coaches_of(db: Database) -> dict[str, list[str]]:
    """Each learner's running coaches, by Slack user."""
    with db.unit_of_work() as uow:
        users = {
            row.id: row.slack_user_id for row in uow.session.execute(select(Member.id, Member.slack_user_id))
        }
        running = uow.session.scalars(
            select(Partnership).where(Partnership.status != PartnershipStatus.ENDED)
        )
        found: dict[str, list[str]] = {}
        for p in running:
            found.setdefault(users[p.second_member_id], []).append(users[p.first_member_id])
    return found


def test_a_coach_full_from_another_cohort_gets_no_learners_in_this_one(db: Database) -> None:
    seeded(
        db,
        {
            "cardio": {"U0C1": Role.COACH, "U0A1": Role.LEARNER, "U0A2": Role.LEARNER},
            "surgery": {"U0C1": Role.COACH, "U0B1": Role.LEARNER},
        },
    )
    match(db, "cardio")

    plan = match(db, "surgery")

    assert plan.plan["pairs"] == []
    assert [u["reason"] for u in plan.plan["unplaced"]] == [
        "Every coach or mentor they may be paired with is full."
    ]
    assert coaches_of(db) == {"U0A1": ["U0C1"], "U0A2": ["U0C1"]}


def test_a_coach_with_one_place_used_elsewhere_takes_one_more_here(db: Database) -> None:
    seeded(
        db,
        {
            "cardio": {"U0C1": Role.COACH, "U0A1": Role.LEARNER},
            "surgery": {"U0C1": Role.COACH, "U0B1": Role.LEARNER, "U0B2": Role.LEARNER},
        },
    )
    match(db, "cardio")

    plan = match(db, "surgery")

    assert len(plan.plan["pairs"]) == 1
    assert sum(len(coaches) for coaches in coaches_of(db).values()) == 2


def test_a_full_coach_is_not_offered_to_a_learner_re_matched_in_another_cohort(db: Database) -> None:
    seeded(
        db,
        {
            "cardio": {"U0C1": Role.COACH, "U0A1": Role.LEARNER, "U0A2": Role.LEARNER},
            "surgery": {"U0C1": Role.COACH, "U0B1": Role.LEARNER},
        },
    )
    match(db, "cardio")

    plan = preview_rematch(
        db.unit_of_work(), "T0001", "surgery", "U0B1", user_id=FAC, is_admin=False, now=NOW
    )

    assert plan.plan["pairs"] == []


def test_a_learner_whose_coach_is_on_a_break_is_not_given_a_second_coach_next_round(db: Database) -> None:
    seeded(db, {"cardio": {"U0C1": Role.COACH, "U0C2": Role.COACH, "U0A1": Role.LEARNER}})
    match(db, "cardio")
    [first_coach] = coaches_of(db)["U0A1"]
    pause(db.unit_of_work(), "T0001", first_coach, None, NOW)

    plan = match(db, "cardio")

    assert plan.plan["pairs"] == []
    assert coaches_of(db) == {"U0A1": [first_coach]}


def test_a_learner_on_a_break_keeps_their_place_with_their_coach(db: Database) -> None:
    seeded(db, {"cardio": {"U0C1": Role.COACH, "U0A1": Role.LEARNER, "U0A2": Role.LEARNER}}, capacity=1)
    match(db, "cardio")
    [(paired, _)] = coaches_of(db).items()
    pause(db.unit_of_work(), "T0001", paired, None, NOW)

    plan = match(db, "cardio")

    assert plan.plan["pairs"] == []
    assert coaches_of(db) == {paired: ["U0C1"]}
