"""`/circles status` and Home read every running partnership and current circle, in a fixed few queries."""

from __future__ import annotations

from datetime import UTC, datetime

from circles.domain.vocabulary import PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Workspace
from circles.services.people.membership import leave
from circles.services.people.status import my_status
from tests import factories, relationship_world
from tests.integration.test_planning_scale import counting_statements
from tests.relationship_world import COACH

NOW = datetime(2027, 1, 6, 18, tzinfo=UTC)


def seeded(db: Database) -> relationship_world.World:
    with db.unit_of_work() as uow:
        world = relationship_world.coach_with_learners(uow.session)
        uow.commit()
        return world


def test_a_coach_sees_every_running_partner_in_each_cohort_and_no_ended_one(db: Database) -> None:
    world = seeded(db)
    alpha, beta = my_status(db.unit_of_work(), "T0001", COACH, NOW)
    assert (alpha.slug, beta.slug) == ("alpha", "beta")
    assert [(p.partner_user_id, p.status) for p in alpha.partners] == [
        ("U0L1", PartnershipStatus.ACTIVE),
        ("U0L2", PartnershipStatus.ACTIVE),
        ("U0L4", PartnershipStatus.PAUSED),
    ]
    running = [world.partnerships[user] for user in ("U0L1", "U0L2", "U0L4")]
    assert [p.partnership_id for p in alpha.partners] == running
    assert [p.partner_user_id for p in beta.partners] == ["U0L3"]
    assert all(p.partner_user_id != "U0L5" for s in (alpha, beta) for p in s.partners)
    assert [c.name for c in alpha.circles] == ["alpha-r2"]  # the latest round's circle, not the old one
    assert [c.conversation_id for c in beta.circles] == ["C0BETA1"]
    assert alpha.next_checkin is not None


def test_a_learner_sees_their_one_coach_and_the_paused_learner_sees_the_pause(db: Database) -> None:
    seeded(db)
    [learner] = my_status(db.unit_of_work(), "T0001", "U0L2", NOW)
    assert [(p.partner_user_id, p.paused) for p in learner.partners] == [(COACH, False)]
    [paused] = my_status(db.unit_of_work(), "T0001", "U0L4", NOW)
    assert [(p.partner_user_id, p.paused) for p in paused.partners] == [(COACH, True)]
    assert paused.next_checkin is None  # a paused partnership gets no check-ins
    [ended] = my_status(db.unit_of_work(), "T0001", "U0L5", NOW)
    assert ended.partners == ()


def test_status_takes_the_same_number_of_queries_for_one_cohort_or_many(db: Database) -> None:
    world = seeded(db)
    with counting_statements(db) as few:
        my_status(db.unit_of_work(), "T0001", COACH, NOW)
    with db.unit_of_work() as uow:
        ws = uow.session.get_one(Workspace, uow.session.get_one(Cohort, world.cohorts["alpha"]).workspace_id)
        for n in range(3):
            co = relationship_world.cohort(uow.session, ws, f"more{n}", f"More {n}")
            coach = factories.member(uow.session, co, COACH, Role.COACH, flush=False)
            learners = [factories.member(uow.session, co, f"U0M{n}{i}", flush=False) for i in range(6)]
            uow.session.flush()
            for learner in learners:
                relationship_world.pair(uow.session, coach, learner, flush=False)
            relationship_world.circle(uow.session, co, 1, [coach, *learners[:3]])
        uow.commit()
    with counting_statements(db) as many:
        statuses = my_status(db.unit_of_work(), "T0001", COACH, NOW)
    assert sum(len(s.partners) for s in statuses) == 4 + 18
    assert len(many) == len(few) <= 5


def test_one_cohort_alone_when_asked_by_its_slug(db: Database) -> None:
    seeded(db)
    [beta] = my_status(db.unit_of_work(), "T0001", COACH, NOW, slug="beta")
    assert beta.name == "Beta & faculty"
    assert my_status(db.unit_of_work(), "T0001", COACH, NOW, slug="gamma") == []


def test_leaving_a_cohort_ends_every_partnership_there_and_none_elsewhere(db: Database) -> None:
    seeded(db)
    left = leave(db.unit_of_work(), "T0001", "alpha", COACH, NOW)
    assert sorted(left.former_partners) == ["U0L1", "U0L2", "U0L4"]
    [beta] = my_status(db.unit_of_work(), "T0001", COACH, NOW)
    assert [p.partner_user_id for p in beta.partners] == ["U0L3"]
