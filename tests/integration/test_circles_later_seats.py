"""Someone who left a circle and came back to the cohort, on SQLite and PostgreSQL: leaving took them out of
their circle, so until a re-match seats them again they are not counted, shown or invited as one of it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import MeetingPlace, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort, CreationStep, Member
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round
from circles.services.partnerships.running import current_circles
from circles.services.people.membership import join, leave
from circles.services.rounds.steps import step_work
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
DAY = timedelta(days=1)


def one_circle(db: Database) -> None:
    """Ann, Bo and Cy meet in circle C0X (a private channel) of round 1; Ann leaves and comes back."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.meeting_place, co.circle_min_size, co.circle_max_size = MeetingPlace.PRIVATE_CHANNEL, 2, 5
        factories.facilitator(uow.session, co, FAC)
        people = [
            factories.member(uow.session, co, u, Role.PEER, flush=False) for u in ("U0ANN", "U0BO", "U0CY")
        ]
        factories.circle(uow.session, co, people, "circle-pgy1-r1-1", "C0X")
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW + DAY)
    join(db.unit_of_work(), "T0001", "pgy1", "U0ANN", Role.PEER, NOW + 2 * DAY)


def member_id(db: Database, user: str) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(Member.id).where(Member.slack_user_id == user)).one()


def test_someone_back_after_leaving_is_not_shown_the_circle_they_were_taken_out_of(db: Database) -> None:
    one_circle(db)
    ann = member_id(db, "U0ANN")

    with db.unit_of_work() as uow:
        shown = current_circles(uow.session, [ann])

    assert shown == {}


def test_a_newcomer_joining_the_circle_does_not_invite_back_someone_who_left_it(db: Database) -> None:
    one_circle(db)
    join(db.unit_of_work(), "T0001", "pgy1", "U0DEE", Role.PEER, NOW + 3 * DAY)
    later = NOW + 3 * DAY
    plan = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", "U0DEE", user_id=FAC, is_admin=False, now=later
    )
    assert [j["name"] for j in plan.plan["joins"]] == ["circle-pgy1-r1-1"]
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=later)
    with db.unit_of_work() as uow:
        [invite] = uow.session.scalars(
            select(CreationStep.id).where(CreationStep.kind == StepKind.CIRCLE_INVITE)
        ).all()

    work = step_work(db.unit_of_work(), invite)

    assert work is not None
    assert sorted(p.user_id for p in work.people) == ["U0BO", "U0CY", "U0DEE"]


def test_a_newcomer_is_not_placed_in_a_circle_whose_conversation_was_lost(db: Database) -> None:
    one_circle(db)
    with db.unit_of_work() as uow:  # Slack said C0X was archived: the circle was closed
        uow.session.scalars(select(Circle)).one().dissolved_at = NOW + 2 * DAY
        uow.commit()
    later = NOW + 3 * DAY
    join(db.unit_of_work(), "T0001", "pgy1", "U0DEE", Role.PEER, later)

    plan = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", "U0DEE", user_id=FAC, is_admin=False, now=later
    )

    assert plan.plan["joins"] == []


def test_a_member_of_a_circle_whose_conversation_was_lost_can_be_re_matched_into_another(
    db: Database,
) -> None:
    one_circle(db)
    with db.unit_of_work() as uow:  # C0X was archived and its circle closed; round 1 has a second circle
        lost = uow.session.scalars(select(Circle)).one()
        lost.dissolved_at = NOW + 2 * DAY
        co = uow.session.get_one(Cohort, lost.cohort_id)
        others = [factories.member(uow.session, co, u, Role.PEER, flush=False) for u in ("U0DEE", "U0EVE")]
        factories.circle(uow.session, co, others, "circle-pgy1-r1-2", "C0Y")
        uow.commit()
    later = NOW + 3 * DAY

    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0BO", user_id=FAC, is_admin=False, now=later)

    assert [j["name"] for j in plan.plan["joins"]] == ["circle-pgy1-r1-2"]
