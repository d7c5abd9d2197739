"""However a partnership ends, its alert is resolved at once and every copy facilitators hold is redrawn."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from circles.domain.vocabulary import EscalationStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Member, OutboxMessage
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import follow_up_unclaimed, open_escalations
from circles.services.escalations.partnership import end_from_escalation
from circles.services.escalations.snooze import snooze_escalation
from circles.services.partnerships.changes import complete_finished_cohorts, end_partnership
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World


def act(db: Database, escalation_id: int, user: str = "U0FAC1", days: float = 1) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", user, escalation_id, is_admin=False, now=w.at(days))


def escalation(db: Database, escalation_id: int) -> Escalation:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Escalation, escalation_id)


def trail(db: Database, escalation_id: int) -> list[tuple[str, str]]:
    with db.unit_of_work() as uow:
        events = uow.session.scalars(
            select(EscalationEvent)
            .where(EscalationEvent.escalation_id == escalation_id)
            .order_by(EscalationEvent.id)
        )
        return [(e.actor, e.action) for e in events]


def redrawn(db: Database, escalation_id: int) -> dict[tuple[str, str], str]:
    """(channel, ts) → what each copy is redrawn as, from the chat.update rows recorded."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.method == "chat.update").order_by(OutboxMessage.id)
        )
        return {
            (row.channel or "", str(w.args_of(row)["ts"])): w.rendered(row)
            for row in rows
            if w.args_of(row)["escalation_id"] == escalation_id
        }


def assert_resolved_as_ended(db: Database, escalation_id: int) -> None:
    found = escalation(db, escalation_id)
    assert (found.status, found.outcome, found.follow_up_at) == (EscalationStatus.RESOLVED, "ended", None)
    assert trail(db, escalation_id)[-1] == ("circles", "resolved")
    copies = redrawn(db, escalation_id)
    assert {channel for channel, _ in copies} == {f"D0{user}" for user in FACILITATORS}
    for text in copies.values():
        assert "the partnership ended" in text
        assert "The partnership has ended." in text
        assert "<@circles>" not in text  # the app is nobody to mention
        assert SHARED_NOTE not in text  # notes leave every copy once resolved
        assert REASON in text


def test_a_claimed_alert_is_resolved_when_a_partner_ends_the_partnership(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, escalation_id))
    end_partnership(
        db.unit_of_work(), "T0001", "U0LEARN", world.partnership_id, "", w.at(2), request_key="k1"
    )
    assert_resolved_as_ended(db, escalation_id)
    assert follow_up(db, days=30) == 0


def test_a_snoozed_alert_is_resolved_when_a_partner_leaves_and_erases_their_data(
    db: Database, world: World, escalation_id: int
) -> None:
    snooze_escalation(act(db, escalation_id), 3)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(2))
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0LEARN", w.at(2))
    assert_resolved_as_ended(db, escalation_id)
    assert follow_up(db, days=4) == 0  # the snooze does not bring it back


def test_an_alert_whose_reminders_are_spent_is_resolved_when_the_cohort_ends(
    db: Database, world: World, escalation_id: int
) -> None:
    assert follow_up(db, hours=48) == 1
    assert follow_up(db, hours=96) == 1  # reminded, then the admins: nothing more will follow
    with db.unit_of_work() as uow:
        uow.session.get_one(Cohort, world.cohort_id).ends_on = date(2026, 11, 9)  # over everywhere by then
        assert complete_finished_cohorts(uow.session, w.at(9)) == 1
        uow.commit()
    assert_resolved_as_ended(db, escalation_id)


def test_a_coach_ending_one_of_two_alerted_partnerships_leaves_the_other_alert_as_it_was(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        coach = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0COACH")).one()
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        other = factories.member(uow.session, cohort, "U0LEARN2", Role.LEARNER)
        second = factories.pair(uow.session, coach, other).id
        [other_alert] = open_escalations(uow.session, [w.struggling(second)], w.at(), decrypt=w.unseal)
        uow.commit()
    end_partnership(db.unit_of_work(), "T0001", "U0COACH", world.partnership_id, "", w.at(1), request_key="k")
    assert escalation(db, escalation_id).status is EscalationStatus.RESOLVED
    assert escalation(db, other_alert).status is EscalationStatus.OPEN
    assert trail(db, other_alert) == [("circles", "opened")]


def test_a_facilitator_ending_from_the_alert_resolves_it_once_as_theirs(
    db: Database, world: World, escalation_id: int
) -> None:
    end_from_escalation(act(db, escalation_id, "U0FAC2"), rematch=True, request_key="k")
    assert trail(db, escalation_id) == [
        ("circles", "opened"),
        ("U0FAC2", "suggested_rematch"),
        ("U0FAC2", "resolved"),
    ]
    assert escalation(db, escalation_id).outcome == "rematched"
    assert redrawn(db, escalation_id) == {}  # the facilitator's click redraws the copies itself


def follow_up(db: Database, days: float = 0, hours: float = 0) -> int:
    with db.unit_of_work() as uow:
        taken = follow_up_unclaimed(uow.session, w.at(days, hours), ["U0ADMIN"], decrypt=w.unseal)
        uow.commit()
    return taken
