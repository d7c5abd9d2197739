"""A coach's places in a later round, on SQLite and PostgreSQL: only the learners they guide take them."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import EndReason, PairingMode, PartnershipKind, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Member, Partnership, Workspace
from circles.services.matching.rounds import RoundPlan, preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
COACH = "U0C1"


def coaching(db: Database, learners: int, capacity: int = 2) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, 2, 4
        factories.facilitator(uow.session, co, FAC)
        factories.member(uow.session, co, COACH, Role.COACH)
        factories.profile(uow.session, ws, COACH).capacity = capacity
        for i in range(1, learners + 1):
            factories.member(uow.session, co, f"U0L{i}", Role.LEARNER, flush=False)
            factories.profile(uow.session, ws, f"U0L{i}", flush=False)
        uow.commit()


def preview(db: Database) -> RoundPlan:
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)


def coached(plan: RoundPlan) -> int:
    return len(plan.plan["pairs"])


def test_a_coachs_peer_partner_in_another_cohort_takes_none_of_their_coaching_places(db: Database) -> None:
    coaching(db, learners=2)
    with db.unit_of_work() as uow:  # the coach is also a peer in a peer-support cohort, paired there
        ws = uow.session.scalars(select(Workspace)).one()
        peers = factories.cohort(uow.session, ws, "peers", "Peers")
        peers.pairing_mode = PairingMode.PEER
        me = factories.member(uow.session, peers, COACH, Role.PEER)
        other = factories.member(uow.session, peers, "U0P9", Role.PEER)
        factories.pair(uow.session, me, other, kind=PartnershipKind.PEER)
        uow.commit()

    assert coached(preview(db)) == 2  # both learners get the coach, who has room for two


def test_a_coach_full_from_round_one_gets_nobody_new_and_an_ended_pair_frees_its_place(db: Database) -> None:
    coaching(db, learners=4)
    with db.unit_of_work() as uow:
        by_user = {m.slack_user_id: m for m in uow.session.scalars(select(Member))}
        coach = by_user[COACH]
        factories.pair(uow.session, coach, by_user["U0L1"])
        factories.pair(uow.session, coach, by_user["U0L2"], status=PartnershipStatus.PAUSED)  # still holds it
        uow.commit()
    assert coached(preview(db)) == 0

    with db.unit_of_work() as uow:
        running = select(Partnership).where(Partnership.status == PartnershipStatus.ACTIVE)
        first = uow.session.scalars(running).one()
        first.status, first.end_reason, first.ended_at = PartnershipStatus.ENDED, EndReason.COMPLETED, NOW
        uow.commit()
    plan = preview(db)
    assert coached(plan) == 1  # the place that ended is free again, for someone new
    with db.unit_of_work() as uow:
        l1 = uow.session.scalars(select(Member.id).where(Member.slack_user_id == "U0L1")).one()
    assert all(l1 not in (p["first"], p["second"]) for p in plan.plan["pairs"])  # not the ended pair
