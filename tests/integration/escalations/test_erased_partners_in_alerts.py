"""An alert redrawn after one of its pair was erased shows them as an erased member, never by their Slack ID,
whether the erasure drew it (an archived cohort's alert, resolved by it) or it waited in the outbox since a
leave; a redraw that waited keeps none of their notes either."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership.leaving import leave
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, OLD_NOTE, SHARED_NOTE, World
from tests.integration.escalations.test_new_facilitators import save_facilitators
from tests.integration.escalations.test_withdrawn_copies import sent_everywhere

ADMIN = "U0ADMIN"
ERASED_PAIR = "<@U0COACH> and an erased member (coach and learner)"


def waiting_redraws(db: Database) -> dict[str, list[str]]:
    """What each DM's redraws still to be sent will show, by channel."""
    with db.reading() as reading:
        rows = reading.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.method == "chat.update", OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(OutboxMessage.id)
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row.channel or "", []).append(w.rendered(row))
        return found


def erase_learner(db: Database, days: float) -> None:
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0LEARN", w.at(days))


def test_an_archived_cohorts_alert_resolved_by_an_erasure_shows_the_partner_as_an_erased_member(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Cohort, world.cohort_id).archived_at = w.at(0.5)
        uow.commit()
    erase_learner(db, 1)

    redrawn = waiting_redraws(db)
    assert sorted(redrawn) == sorted(f"D0{user}" for user in FACILITATORS)
    for [shown] in redrawn.values():
        assert "U0LEARN" not in shown  # before: "<@U0COACH> and <@U0LEARN> (coach and learner) in …"
        assert ERASED_PAIR in shown
        assert "the partnership ended" in shown


def test_redraws_queued_at_a_leave_name_nobody_once_the_partner_is_erased_before_they_go(
    db: Database, world: World, escalation_id: int
) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(1))
    erase_learner(db, 2)

    redrawn = waiting_redraws(db)
    assert sorted(redrawn) == sorted(f"D0{user}" for user in FACILITATORS)
    for [shown] in redrawn.values():
        assert "U0LEARN" not in shown
        assert ERASED_PAIR in shown
        assert "the partnership ended" in shown


def test_the_admins_copy_redrawn_after_the_erasure_names_nobody_either(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:  # unclaimed: a reminder, then the admins are asked
        for hours in (48, 96):
            follow_up_unclaimed(uow.session, w.at(hours=hours), [ADMIN], decrypt=w.unseal)
        uow.commit()
    sent_everywhere(db)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(5))
    erase_learner(db, 6)

    [shown] = waiting_redraws(db)[f"D0{ADMIN}"]
    assert "U0LEARN" not in shown
    assert ERASED_PAIR in shown
    assert "the partnership ended" in shown


def test_a_full_redraw_still_waiting_loses_the_erased_partners_name_and_notes(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [FACILITATORS[1]], days=1)  # taken off: their copy withdrawn
    sent_everywhere(db)
    save_facilitators(db, FACILITATORS, days=2)  # put back: their copy drawn in full again, notes and all
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(3))
    erase_learner(db, 4)

    [restored, ended] = waiting_redraws(db)[f"D0{FACILITATORS[0]}"]
    for shown in (restored, ended):
        assert "U0LEARN" not in shown
        assert SHARED_NOTE not in shown  # before: the restored copy quoted them
        assert OLD_NOTE not in shown
        assert ERASED_PAIR in shown
