"""A facilitator who said "I'll reach out" and is later paired with one of the pair (as a mentor, in another
cohort): she may no longer see or act on the alert, so nobody is reaching out. At the next follow-up pass the
alert is open again, before the facilitators who may hear of it, followed up like any alert nobody has, and
her copy is redrawn with nothing of the pair."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import EscalationStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Escalation, EscalationEvent, Workspace
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import REASON, SHARED_NOTE, World

CLAIMER, OTHER_FACILITATOR, ADMIN = "U0FAC1", "U0FAC2", "U0ADMIN"


def act(db: Database, user: str, escalation_id: int, days: float) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", user, escalation_id, is_admin=False, now=w.at(days))


def mentors_the_learner_elsewhere(db: Database, world: World) -> None:
    """The claimer becomes the learner's mentor in another cohort of the workspace."""
    with db.unit_of_work() as uow:
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        mentoring = factories.cohort(uow.session, workspace, "mentoring", "Mentoring")
        mentor = factories.member(uow.session, mentoring, CLAIMER, Role.MENTOR)
        factories.pair(uow.session, mentor, factories.member(uow.session, mentoring, "U0LEARN"))
        uow.commit()


def follow_up(db: Database, *days: float) -> list[int]:
    with db.unit_of_work() as uow:
        taken = [follow_up_unclaimed(uow.session, w.at(day), [ADMIN], decrypt=w.unseal) for day in days]
        uow.commit()
    return taken


def claim(db: Database, escalation_id: int) -> tuple[EscalationStatus, str | None]:
    with db.unit_of_work() as uow:
        escalation = uow.session.get_one(Escalation, escalation_id)
        return escalation.status, escalation.claimed_by


def sent(db: Database, method: str, since: float) -> list[tuple[str, str]]:
    """(who, what they will read) of each outbox row of this method recorded from that day on."""
    with db.unit_of_work() as uow:
        rows = w.outbox(uow.session)
        return [
            (r.channel or "", w.rendered(r))
            for r in rows
            if r.method == method and r.created_at >= w.at(since)
        ]


def actions(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def test_a_claimer_paired_since_with_one_of_the_pair_no_longer_holds_the_alert(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, CLAIMER, escalation_id, 1))
    mentors_the_learner_elsewhere(db, world)
    follow_up(db, 2)

    assert claim(db, escalation_id) == (EscalationStatus.OPEN, None)
    [(who, shown)] = sent(db, "chat.postMessage", 2)
    assert who == OTHER_FACILITATOR  # never the former claimer
    assert "open again" in shown.lower()
    assert REASON in shown
    assert SHARED_NOTE in shown  # as on their other copies: a facilitator's card
    assert CLAIMER not in shown  # nothing says who had it, nor why they let it go
    assert actions(db)[-1] == "released"
    [(channel, withdrawn)] = sent(db, "chat.update", 2)  # her copy, with nothing of the pair
    assert channel == f"D0{CLAIMER}"
    assert "U0LEARN" not in withdrawn
    assert "U0COACH" not in withdrawn
    assert SHARED_NOTE not in withdrawn


def test_the_alert_open_again_can_be_claimed_and_is_followed_up_like_any_nobody_has(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, CLAIMER, escalation_id, 1))
    mentors_the_learner_elsewhere(db, world)
    follow_up(db, 2, 3, 4.5, 6.5)  # freed; then reminded two days on; then the admins two days after

    assert [who for who, _ in sent(db, "chat.postMessage", 2)] == [
        OTHER_FACILITATOR,
        OTHER_FACILITATOR,
        ADMIN,
    ]
    view = claim_escalation(act(db, OTHER_FACILITATOR, escalation_id, 7))
    assert view.escalation_id == escalation_id
    assert claim(db, escalation_id) == (EscalationStatus.CLAIMED, OTHER_FACILITATOR)


def test_a_claim_long_past_its_follow_ups_is_freed_when_the_claimer_is_paired_later(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, CLAIMER, escalation_id, 1))
    follow_up(db, 3, 5, 7)  # a claimed alert: nothing more to follow up
    assert claim(db, escalation_id) == (EscalationStatus.CLAIMED, CLAIMER)
    mentors_the_learner_elsewhere(db, world)
    follow_up(db, 20)

    assert claim(db, escalation_id) == (EscalationStatus.OPEN, None)
    assert [who for who, _ in sent(db, "chat.postMessage", 20)] == [OTHER_FACILITATOR]


def test_a_claim_its_holder_may_still_keep_stays_hers(db: Database, world: World, escalation_id: int) -> None:
    claim_escalation(act(db, CLAIMER, escalation_id, 1))
    with db.unit_of_work() as uow:  # paired with someone else of the cohort: nothing to do with this pair
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        elsewhere = factories.cohort(uow.session, workspace, "mentoring", "Mentoring")
        mentor = factories.member(uow.session, elsewhere, CLAIMER, Role.MENTOR)
        factories.pair(uow.session, mentor, factories.member(uow.session, elsewhere, "U0OTHER"))
        uow.commit()
    follow_up(db, 3, 5, 7)

    assert claim(db, escalation_id) == (EscalationStatus.CLAIMED, CLAIMER)
    assert sent(db, "chat.postMessage", 2) == []
