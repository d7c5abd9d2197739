"""A re-match in a cohort that pairs peers finds whom a round would pair: every free member, whatever the role
they joined with (the cohort paired learners with coaches when they joined, then switched to peers), and
leaves anyone in a running partnership, a coach included, with the partner they have."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.services.cohorts.config import configure_cohort
from circles.services.cohorts.settings_row import settings_of
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.people.membership import join
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
LATER = NOW + timedelta(days=14)


def switched_to_peers(db: Database, people: dict[str, Role]) -> RoundPlan:
    """The members join a coach–learner cohort, the facilitator's settings form switches it to peers, and
    round 1 pairs them as peers: the round's plan."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, 2, 6
        factories.facilitator(uow.session, co, FAC)
        for user, role in people.items():
            factories.member(uow.session, co, user, role)
            factories.profile(uow.session, ws, user).capacity = 2
        uow.commit()
        settings = settings_of(co)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        settings.with_changes(pairing_mode=PairingMode.PEER),
        [FAC],
        user_id=FAC,
        is_admin=False,
        now=NOW,
    )
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan


def rematch(db: Database, user: str) -> RoundPlan:
    return preview_rematch(db.unit_of_work(), "T0001", "pgy1", user, user_id=FAC, is_admin=False, now=LATER)


def ids(db: Database) -> dict[str, int]:
    with db.unit_of_work() as uow:
        return {m.slack_user_id: m.id for m in uow.session.scalars(select(Member))}


def test_a_rematch_pairs_a_newcomer_with_the_free_learner_a_round_would_pair_as_peers(db: Database) -> None:
    plan = switched_to_peers(db, {"U0L1": Role.LEARNER, "U0L2": Role.LEARNER, "U0L3": Role.LEARNER})
    [odd] = [u["member"] for u in plan.plan["unplaced"] if u["for"] == "pair"]  # three learners: one waits
    # A newcomer joins as a peer (the one role the cohort offers now), and the facilitator re-matches them.
    join(db.unit_of_work(), "T0001", "pgy1", "U0P4", Role.PEER, NOW + timedelta(days=1))
    newcomer = ids(db)["U0P4"]

    round_now = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER)
    assert [{p["first"], p["second"]} for p in round_now.plan["pairs"]] == [{odd, newcomer}]
    found = rematch(db, "U0P4")
    assert [(p["first"], p["second"]) for p in found.plan["pairs"]] == [(newcomer, odd)]
    assert not [u for u in found.plan["unplaced"] if u["for"] == "pair"]


def test_a_rematch_pairs_a_free_coach_in_a_peer_cohort_as_a_round_would(db: Database) -> None:
    switched_to_peers(db, {"U0L1": Role.LEARNER, "U0L2": Role.LEARNER})  # round 1 paired the two
    with db.unit_of_work() as uow:  # a coach added since by an import, which keeps the role its file gives
        co = uow.session.scalars(select(Cohort)).one()
        factories.member(uow.session, co, "U0C1", Role.COACH, at=NOW + timedelta(days=1))
        uow.commit()
    join(db.unit_of_work(), "T0001", "pgy1", "U0P4", Role.PEER, NOW + timedelta(days=1))
    member = ids(db)

    round_now = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER)
    assert [{p["first"], p["second"]} for p in round_now.plan["pairs"]] == [{member["U0C1"], member["U0P4"]}]
    found = rematch(db, "U0P4")
    assert [(p["first"], p["second"]) for p in found.plan["pairs"]] == [(member["U0P4"], member["U0C1"])]


def test_a_rematch_in_a_peer_cohort_leaves_a_coach_with_a_running_partner_as_they_are(db: Database) -> None:
    switched_to_peers(db, {"U0C1": Role.COACH, "U0L1": Role.LEARNER})  # round 1 paired the two as peers
    join(db.unit_of_work(), "T0001", "pgy1", "U0P4", Role.PEER, NOW + timedelta(days=1))
    member = ids(db)

    # A round would not pair the coach again (they have a partner), nor may a re-match of them.
    round_now = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER)
    assert round_now.plan["pairs"] == []
    found = rematch(db, "U0C1")
    assert found.plan["pairs"] == []
    already = "Already has a partner; end that partnership first to re-match."
    assert {"text": already, "with": member["U0L1"]} in found.plan["notes"]
