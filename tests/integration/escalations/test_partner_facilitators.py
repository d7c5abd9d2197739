"""A facilitator who is one of the pair, or facilitates no more: never shown the pair's alert or health."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from circles.domain.vocabulary import Role
from circles.errors import EscalationNotYours
from circles.persistence.db import Database
from circles.persistence.models import Cohort, EscalationEvent, Facilitator, Member, Workspace
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.open import open_escalations
from circles.services.health.boards import board, boards_run_by
from circles.services.support.request import notify_facilitators
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World

ADMIN = "U0ADMIN"


def make_facilitator(db: Database, world: World, user: str, *, only: bool = False) -> None:
    with db.unit_of_work() as uow:
        if only:
            uow.session.execute(delete(Facilitator).where(Facilitator.cohort_id == world.cohort_id))
        factories.facilitator(uow.session, uow.session.get_one(Cohort, world.cohort_id), user)
        uow.commit()


def open_now(db: Database, world: World, **admins: list[str]) -> list[int]:
    with db.unit_of_work() as uow:
        opened = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal, **admins
        )
        uow.commit()
    return opened


def act(db: Database, user: str, escalation_id: int, *, is_admin: bool = False) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", user, escalation_id, is_admin=is_admin, now=w.at(1))


def test_a_facilitator_who_is_one_of_the_pair_is_never_sent_its_alert(db: Database, world: World) -> None:
    make_facilitator(db, world, "U0COACH")
    open_now(db, world)
    with db.unit_of_work() as uow:
        rows = w.outbox(uow.session)
        [event] = uow.session.scalars(select(EscalationEvent)).all()
        assert sorted(row.channel or "" for row in rows) == list(FACILITATORS)
        assert event.detail["to"] == list(FACILITATORS)


def test_when_the_only_facilitator_is_one_of_the_pair_the_admins_hear_at_once_without_notes(
    db: Database, world: World
) -> None:
    make_facilitator(db, world, "U0LEARN", only=True)
    [escalation_id] = open_now(db, world, admins=[ADMIN])
    with db.unit_of_work() as uow:
        [row] = w.outbox(uow.session)
        shown = w.rendered(row)
        assert row.channel == ADMIN
        assert row.idempotency_key == f"escalation:{escalation_id}:{ADMIN}:admins1"
        assert REASON in shown
        assert SHARED_NOTE not in shown
        actions = [
            e.action for e in uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id))
        ]
        assert actions == ["opened", "sent_to_admins"]
    # The follow-ups later ask nobody twice: the admins already have it, the partner never does.
    with db.unit_of_work() as uow:
        for days in (3, 5, 7):
            follow_up_unclaimed(uow.session, w.at(days), [ADMIN], decrypt=w.unseal)
        uow.commit()
    with db.unit_of_work() as uow:
        assert [row.channel for row in w.outbox(uow.session)] == [ADMIN]


@pytest.mark.parametrize("is_admin", [False, True])
def test_a_partner_who_facilitates_cannot_act_on_their_own_pairs_alert(
    db: Database, world: World, escalation_id: int, is_admin: bool
) -> None:
    make_facilitator(db, world, "U0COACH")
    with pytest.raises(EscalationNotYours):
        claim_escalation(act(db, "U0COACH", escalation_id, is_admin=is_admin))


def test_a_removed_facilitators_copy_is_withdrawn_and_their_press_refused(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.slack_user_id == "U0FAC2"))
        uow.commit()
    with pytest.raises(EscalationNotYours):
        claim_escalation(act(db, "U0FAC2", escalation_id))
    view = claim_escalation(act(db, "U0FAC1", escalation_id))
    withdrawn = {copy.channel: copy.withdrawn for copy in view.copies}
    assert withdrawn == {"D0U0FAC1": False, "D0U0FAC2": True}


def test_support_about_a_partnership_never_reaches_the_partner_who_facilitates(
    db: Database, world: World
) -> None:
    make_facilitator(db, world, "U0COACH")
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        learner = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        sent = notify_facilitators(
            uow.session, cohort, learner, None, w.at(), key="support:x", partner_user_id="U0COACH"
        )
        uow.commit()
        assert sent.facilitators == list(FACILITATORS)
        assert sorted(row.channel or "" for row in w.outbox(uow.session)) == list(FACILITATORS)


def test_a_partner_who_facilitates_does_not_see_their_own_pair_on_the_board(
    db: Database, world: World
) -> None:
    make_facilitator(db, world, "U0COACH")
    theirs = board(db.unit_of_work(), "T0001", "U0COACH", "pgy1", w.at())
    others = board(db.unit_of_work(), "T0001", "U0FAC1", "pgy1", w.at())
    assert [row.partnership_id for row in others.rows] == [world.partnership_id]
    assert theirs.rows == []
    [home] = boards_run_by(db.unit_of_work(), "T0001", "U0COACH", w.at())
    assert home.rows == []


def once_paired_facilitators(db: Database, world: World, *facilitators: str) -> None:
    """U0FAY mentored the learner in last year's cohort; these are now the only facilitators here."""
    with db.unit_of_work() as uow:
        here = uow.session.get_one(Cohort, world.cohort_id)
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        last_year = factories.cohort(uow.session, workspace, "pgy0", "Last year")
        fay = factories.member(uow.session, last_year, "U0FAY", Role.MENTOR)
        factories.pair(uow.session, fay, factories.member(uow.session, last_year, "U0LEARN"))
        uow.session.execute(delete(Facilitator).where(Facilitator.cohort_id == world.cohort_id))
        for user in facilitators:
            factories.facilitator(uow.session, here, user)
        uow.commit()


def test_a_facilitator_once_paired_with_a_partner_in_another_cohort_is_never_sent_the_alert(
    db: Database, world: World
) -> None:
    # What the alert says of a support request or a shared note is the learner's to keep from a former
    # partner, as the support request itself is.
    once_paired_facilitators(db, world, "U0FAY", "U0GUS")
    open_now(db, world, admins=[ADMIN])
    with db.unit_of_work() as uow:
        assert [row.channel for row in w.outbox(uow.session)] == ["U0GUS"]


def test_when_the_only_facilitator_was_once_paired_with_a_partner_the_admins_hear_instead(
    db: Database, world: World
) -> None:
    once_paired_facilitators(db, world, "U0FAY")
    open_now(db, world, admins=[ADMIN, "U0FAY"])  # never her, even as an admin
    with db.unit_of_work() as uow:
        assert [row.channel for row in w.outbox(uow.session)] == [ADMIN]
