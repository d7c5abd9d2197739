"""A facilitator or admin who holds a copy of an alert and is paired afterwards with one of its partners (a
round makes them the coach's learner in another cohort, a coach accepts their request): nothing of that pair
is theirs any more. Their copy is redrawn with nothing of the pair at the next watch, claimed or not, and
whoever acts on the alert later never draws the pair back into it; an admin's copy waiting never goes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.view import MessageCopy
from circles.services.health.watch import watch
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.requests import accept_request, request_guide
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import SHARED_NOTE, World
from tests.integration.escalations.test_partner_facilitators import make_facilitator, open_now

ADMIN, OTHER_ADMIN = "U0ADMIN", "U0ADM2"
PRIVATE = ("U0COACH", "U0LEARN", SHARED_NOTE, "Recent check-ins")


def mark_sent(db: Database) -> None:
    """Every alert DM recorded so far sent, as the dispatcher leaves them: with where each landed."""
    with db.unit_of_work() as uow:
        for n, row in enumerate(w.outbox(uow.session)):
            if row.status is OutboxStatus.PENDING:
                row.status, row.result = (
                    OutboxStatus.SENT,
                    {"ok": True, "channel": f"D0{row.channel}", "ts": f"1.{n}"},
                )
        uow.commit()


def admins_copy(db: Database, world: World) -> int:
    """The only facilitator is the learner: the alert went to the admin alone, without notes."""
    make_facilitator(db, world, "U0LEARN", only=True)
    [escalation_id] = open_now(db, world, admins=[ADMIN])
    return escalation_id


def coachs_learner_elsewhere(db: Database, world: World, user: str, days: float = 1) -> None:
    """A round of another cohort makes this person the coach's learner there."""
    with db.unit_of_work() as uow:
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        mentoring = factories.cohort(uow.session, workspace, "mentoring", "Mentoring")
        coach = factories.member(uow.session, mentoring, "U0COACH", Role.COACH)
        learner = factories.member(uow.session, mentoring, user)
        factories.pair(uow.session, coach, learner, started_at=w.at(days))
        uow.commit()


def watch_at(db: Database, days: float) -> None:
    with db.unit_of_work() as uow:
        watch(uow.session, w.at(days), admins=[ADMIN], decrypt=w.unseal)
        uow.commit()


def redraws(db: Database) -> list[tuple[str, str, str]]:
    """(channel, template, what it will show) of every chat.update recorded, oldest first."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.method == "chat.update").order_by(OutboxMessage.id)
        )
        return [(row.channel or "", row.payload["template"], w.rendered(row)) for row in rows]


def assert_withdrawn(found: list[tuple[str, str, str]], channel: str) -> None:
    [(where, template, shown)] = found
    assert (where, template) == (channel, "escalation_withdrawn")
    for private in PRIVATE:
        assert private not in shown


def test_an_admin_paired_since_with_a_partner_has_their_copy_drawn_without_the_pair_when_others_act(
    db: Database, world: World
) -> None:
    escalation_id = admins_copy(db, world)
    mark_sent(db)
    coachs_learner_elsewhere(db, world, ADMIN)

    view = claim_escalation(
        EscalationAct(db.unit_of_work(), "T0001", OTHER_ADMIN, escalation_id, is_admin=True, now=w.at(2))
    )

    [copy] = view.copies
    assert copy == MessageCopy(f"D0{ADMIN}", copy.ts, for_admins=True, withdrawn=True, reader=ADMIN)


def test_an_admins_copy_still_waiting_never_goes_once_the_admin_is_paired_with_a_partner(
    db: Database, world: World
) -> None:
    make_facilitator(db, world, "U0LEARN", only=True)
    open_now(db, world, admins=[ADMIN, OTHER_ADMIN])  # Slack was down: both copies wait
    coachs_learner_elsewhere(db, world, ADMIN)

    claimed = claim_due(db.unit_of_work(), w.at(1.1), limit=50, claim_for=timedelta(minutes=5))

    assert {row.channel for row in claimed if row.key.startswith("escalation:")} == {OTHER_ADMIN}
    with db.unit_of_work() as uow:
        statuses = {row.channel: row.status for row in w.outbox(uow.session)}
    assert statuses == {ADMIN: OutboxStatus.SUPERSEDED, OTHER_ADMIN: OutboxStatus.CLAIMED}


def test_a_facilitator_who_never_claimed_has_their_copy_withdrawn_at_the_watch_after_a_round_pairs_them(
    db: Database, world: World, escalation_id: int
) -> None:
    coachs_learner_elsewhere(db, world, "U0FAC1")
    watch_at(db, 1.01)

    assert_withdrawn(redraws(db), "D0U0FAC1")  # the other facilitator's copy is left as it is
    watch_at(db, 1.02)
    assert len(redraws(db)) == 1  # once


def test_a_facilitator_whose_request_a_partner_accepts_has_their_copy_withdrawn_at_the_next_watch(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        mentoring = factories.cohort(uow.session, workspace, "mentoring", "Mentoring")
        mentoring.pairing_mode = PairingMode.COACH_LEARNER
        factories.member(uow.session, mentoring, "U0COACH", Role.COACH)
        factories.member(uow.session, mentoring, "U0FAC2")
        factories.profile(uow.session, workspace, "U0COACH").capacity = 2
        uow.commit()
    asked = request_guide(db.unit_of_work(), "T0001", "U0FAC2", "mentoring", "U0COACH", w.at(1))
    accept_request(db.unit_of_work(), "T0001", "U0COACH", asked.request_id, w.at(1))
    watch_at(db, 1.01)

    assert_withdrawn(redraws(db), "D0U0FAC2")


def test_an_admins_copy_is_withdrawn_at_the_watch_after_the_admin_is_paired_with_a_partner(
    db: Database, world: World
) -> None:
    admins_copy(db, world)
    mark_sent(db)
    coachs_learner_elsewhere(db, world, ADMIN)
    watch_at(db, 1.01)

    assert_withdrawn(redraws(db), f"D0{ADMIN}")


def test_a_pair_formed_with_nobody_who_holds_a_copy_redraws_nothing(
    db: Database, world: World, escalation_id: int
) -> None:
    coachs_learner_elsewhere(db, world, "U0NEW")
    watch_at(db, 1.01)

    assert redraws(db) == []
