"""A paused member still sits in their circle: a re-match never seats beside them someone they ended a
partnership with, or someone who asked never to be matched with them, and the preview names no block.
A whole round forms new circles of the people taking part only, so it seats nobody beside them either.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.views.matching import preview_message
from circles.domain.vocabulary import EndReason, PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, CircleMembership, Member
from circles.services.matching.constraints import set_own_blocks
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.people.membership import join, pause
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
LATER = NOW + timedelta(days=14)


def two_circles(db: Database, mode: PairingMode, first: dict[str, Role], second: dict[str, Role]) -> None:
    """Circle 1 and Circle 2 of round 1; everyone in Circle 2 shares U0NEW's department, so a re-match of
    U0NEW prefers Circle 1 whenever it may."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = mode, 2, 4
        factories.facilitator(uow.session, co, FAC)
        seated = []
        for users in (first, second):
            seated.append([factories.member(uow.session, co, user, role) for user, role in users.items()])
        factories.member(uow.session, co, "U0NEW", Role.LEARNER if mode.guided else Role.PEER)
        for user in [*first, *second, "U0NEW"]:
            row = factories.profile(uow.session, ws, user)
            row.capacity, row.department = 0, "surgery" if user in second or user == "U0NEW" else user
        factories.circle(uow.session, co, seated[0], "Circle 1", "C0001")
        factories.circle(uow.session, co, seated[1], "Circle 2", "C0002")
        uow.commit()


def member_id(db: Database, user: str) -> int:
    with db.reading() as r:
        return r.session.scalars(select(Member.id).where(Member.slack_user_id == user)).one()


def circle_of(db: Database, user: str) -> set[str]:
    with db.reading() as r:
        query = (
            select(Circle.name)
            .join(CircleMembership, CircleMembership.circle_id == Circle.id)
            .join(Member, Member.id == CircleMembership.member_id)
            .where(Member.slack_user_id == user)
        )
        return set(r.session.scalars(query))


def rematched(db: Database, user: str) -> RoundPlan:
    return preview_rematch(db.unit_of_work(), "T0001", "pgy1", user, user_id=FAC, is_admin=False, now=LATER)


def preview_words(plan: RoundPlan) -> str:
    """Everything the facilitator's preview message says (it must render whoever it names)."""
    return str([block.to_dict() for block in preview_message(plan).blocks])


def test_a_rematch_passes_over_the_circle_of_a_paused_ex_partner(db: Database) -> None:
    first = {"U0C1": Role.COACH, "U0L2": Role.LEARNER, "U0L3": Role.LEARNER}
    two_circles(db, PairingMode.COACH_LEARNER, first, {"U0L4": Role.LEARNER, "U0L5": Role.LEARNER})
    with db.unit_of_work() as uow:
        coach, new = (uow.session.get_one(Member, member_id(db, u)) for u in ("U0C1", "U0NEW"))
        factories.pair(uow.session, coach, new, status=PartnershipStatus.ENDED, end_reason=EndReason.NO_FAULT)
        uow.commit()
    pause(db.unit_of_work(), "T0001", "U0C1", None, NOW)  # the ex-coach takes a break

    plan = rematched(db, "U0NEW")

    assert [join["name"] for join in plan.plan["joins"]] == ["Circle 2"]
    assert {
        "text": "Passed over Circle 1: someone there must not be grouped with them (a declared "
        "conflict, a block or an ended partnership)."
    } in plan.plan["notes"]
    coach_id, new_id = member_id(db, "U0C1"), member_id(db, "U0NEW")
    assert [(k["first"], k["second"]) for k in plan.plan["kept_apart"]] == [(coach_id, new_id)]
    assert "<@U0C1> and <@U0NEW> ended their partnership in round 1 — kept apart" in preview_words(plan)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=LATER)
    assert circle_of(db, "U0NEW") == {"Circle 2"}


def test_a_rematch_never_seats_someone_beside_a_paused_person_they_asked_to_avoid(db: Database) -> None:
    first = {"U0P0": Role.PEER, "U0P1": Role.PEER, "U0P2": Role.PEER}
    two_circles(db, PairingMode.NONE, first, {"U0P3": Role.PEER, "U0P4": Role.PEER})
    set_own_blocks(db.unit_of_work(), "T0001", "U0NEW", ["U0P0"], NOW)
    pause(db.unit_of_work(), "T0001", "U0P0", None, NOW)

    plan = rematched(db, "U0NEW")

    assert [join["name"] for join in plan.plan["joins"]] == ["Circle 2"]
    words = preview_words(plan)
    assert "Passed over Circle 1" in words
    assert "U0P0" not in words  # who is on the list, or that anyone is, is never said
    assert plan.plan["kept_apart"] == []
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=LATER)
    assert circle_of(db, "U0NEW") == {"Circle 2"}


def test_the_only_circle_holding_a_paused_person_on_the_avoid_list_is_no_place(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.NONE, 2, 4
        factories.facilitator(uow.session, co, FAC)
        seated = [factories.member(uow.session, co, f"U0P{i}", Role.PEER) for i in range(3)]
        factories.member(uow.session, co, "U0NEW", Role.PEER)
        factories.circle(uow.session, co, seated, "Circle 1", "C0001")
        uow.commit()
    set_own_blocks(db.unit_of_work(), "T0001", "U0NEW", ["U0P0"], NOW)
    pause(db.unit_of_work(), "T0001", "U0P0", None, NOW)

    plan = rematched(db, "U0NEW")

    assert plan.plan["joins"] == []
    assert plan.run_id == 0  # nothing to confirm
    assert [u["reason"] for u in plan.plan["unplaced"]] == [
        "Every circle is full or holds someone they must not be grouped with (a declared conflict, a "
        "block or an ended partnership)."
    ]
    assert "U0P0" not in preview_words(plan)
    assert circle_of(db, "U0NEW") == set()


def test_a_round_seats_nobody_beside_a_paused_member_they_ended_with_or_avoid(db: Database) -> None:
    first = {"U0C1": Role.COACH, "U0L2": Role.LEARNER, "U0L3": Role.LEARNER}
    two_circles(db, PairingMode.COACH_LEARNER, first, {"U0L4": Role.LEARNER, "U0L5": Role.LEARNER})
    with db.unit_of_work() as uow:
        coach, new = (uow.session.get_one(Member, member_id(db, u)) for u in ("U0C1", "U0NEW"))
        factories.pair(uow.session, coach, new, status=PartnershipStatus.ENDED, end_reason=EndReason.NO_FAULT)
        uow.commit()
    set_own_blocks(db.unit_of_work(), "T0001", "U0NEW", ["U0L2"], NOW)
    for user in ("U0C1", "U0L2"):
        pause(db.unit_of_work(), "T0001", user, None, NOW)

    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER)

    paused = {member_id(db, "U0C1"), member_id(db, "U0L2")}
    assert all(not paused & set(circle["members"]) for circle in plan.plan["circles"])
    assert plan.plan["kept_apart"] == []  # a round forms nothing with the paused ex-coach
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=LATER)
    round_two = {name for name in circle_of(db, "U0NEW") if name.startswith("circle-")}
    assert len(round_two) == 1
    assert not (circle_of(db, "U0C1") | circle_of(db, "U0L2")) & round_two


def test_a_newcomer_rematched_into_a_circle_reads_of_no_earlier_pairing(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.NONE, 2, 6
        factories.facilitator(uow.session, co, FAC)
        for i in range(4):
            factories.member(uow.session, co, f"U0P{i}", Role.PEER)
        uow.commit()
    first = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", first.run_id, user_id=FAC, is_admin=False, now=NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0NEW", Role.PEER, NOW + timedelta(days=1))

    plan = rematched(db, "U0NEW")

    assert len(plan.plan["joins"]) == 1
    assert "earlier pairing" not in plan.plan["joins"][0]["why"]
    assert plan.plan["repeats"] == 0
    assert "Repeats: 0" in preview_words(plan)


def test_a_full_circle_with_a_paused_member_takes_nobody_more_their_seat_waits_for_them(db: Database) -> None:
    # Circle 1 is the better place for U0NEW, but its four seats are taken, one by someone on a break who
    # comes back to it: a fifth would go past the cohort's largest circle (a group DM refuses past its size).
    first = {"U0P0": Role.PEER, "U0P1": Role.PEER, "U0P2": Role.PEER, "U0P5": Role.PEER}
    two_circles(db, PairingMode.NONE, first, {"U0P3": Role.PEER, "U0P4": Role.PEER})
    pause(db.unit_of_work(), "T0001", "U0P0", None, NOW)

    plan = rematched(db, "U0NEW")  # before: joined Circle 1, a fifth seat among four

    assert [join["name"] for join in plan.plan["joins"]] == ["Circle 2"]
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=LATER)
    assert circle_of(db, "U0NEW") == {"Circle 2"}
    assert circle_of(db, "U0P0") == {"Circle 1"}
