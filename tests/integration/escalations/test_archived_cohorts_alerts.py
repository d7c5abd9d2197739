"""A cohort archived while one of its alerts is still open: nobody leaves or ends anything there any more, so
the alert is resolved as ended when its follow-up comes (archived cohorts get nothing), and erasing one of
the pair takes their notes out of every copy the facilitators hold."""

from __future__ import annotations

from circles.domain.escalations import SNOOZE_DAYS, Outcome
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.snooze import snooze_escalation
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership.leaving import leave
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, SHARED_NOTE, World

ADMIN = "U0ADMIN"


def archive(db: Database, world: World, days: float) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Cohort, world.cohort_id).archived_at = w.at(days)
        uow.commit()


def follow_up(db: Database, *days: float) -> None:
    with db.unit_of_work() as uow:
        for day in days:
            follow_up_unclaimed(uow.session, w.at(day), [ADMIN], decrypt=w.unseal)
        uow.commit()


def stored(db: Database, escalation_id: int) -> tuple[EscalationStatus, str | None]:
    with db.unit_of_work() as uow:
        escalation = uow.session.get_one(Escalation, escalation_id)
        return escalation.status, escalation.outcome


def messages(db: Database, method: str) -> list[tuple[str, str]]:
    """(who, what they will read) of each outbox row of this method, in order."""
    with db.unit_of_work() as uow:
        return [(row.channel or "", w.rendered(row)) for row in w.outbox(uow.session) if row.method == method]


def test_an_open_alert_of_an_archived_cohort_is_resolved_and_nobody_is_reminded_or_asked(
    db: Database, world: World, escalation_id: int
) -> None:
    archive(db, world, 0.5)
    follow_up(db, 3, 5, 7)

    assert stored(db, escalation_id) == (EscalationStatus.RESOLVED, Outcome.ENDED.value)
    posted = messages(db, "chat.postMessage")
    assert sorted(who for who, _ in posted) == sorted(FACILITATORS)  # the first alert only: no reminder
    assert all(who != ADMIN for who, _ in posted)
    redrawn = messages(db, "chat.update")
    assert sorted(who for who, _ in redrawn) == sorted(f"D0{user}" for user in FACILITATORS)
    assert all("the partnership ended" in text and SHARED_NOTE not in text for _, text in redrawn)


def test_a_snoozed_alert_of_an_archived_cohort_does_not_come_back_when_its_snooze_runs_out(
    db: Database, world: World, escalation_id: int
) -> None:
    act = EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1))
    snooze_escalation(act, SNOOZE_DAYS[1])  # back on day 4
    archive(db, world, 2)
    follow_up(db, 5)

    assert stored(db, escalation_id)[0] is EscalationStatus.RESOLVED
    assert sorted(who for who, _ in messages(db, "chat.postMessage")) == sorted(FACILITATORS)


def test_erasing_a_partner_of_an_archived_cohort_takes_their_note_out_of_every_copy(
    db: Database, world: World, escalation_id: int
) -> None:
    archive(db, world, 0.5)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0LEARN", w.at(1))

    redrawn = messages(db, "chat.update")
    assert sorted(who for who, _ in redrawn) == sorted(f"D0{user}" for user in FACILITATORS)
    assert all(SHARED_NOTE not in text for _, text in redrawn)
    assert stored(db, escalation_id) == (EscalationStatus.RESOLVED, Outcome.ENDED.value)


def test_erasing_after_leaving_redraws_each_copy_once(db: Database, world: World, escalation_id: int) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN", w.at(1))
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0LEARN", w.at(2))

    redrawn = messages(db, "chat.update")
    assert sorted(who for who, _ in redrawn) == sorted(f"D0{user}" for user in FACILITATORS)
    assert all(SHARED_NOTE not in text for _, text in redrawn)
