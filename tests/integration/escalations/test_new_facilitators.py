"""A facilitator added to a cohort is sent its unresolved alerts at once, as the others see them."""

from __future__ import annotations

from collections.abc import Collection

from circles.domain.vocabulary import EscalationStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Escalation, Workspace
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World

NEWCOMER = "U0NEWFAC"


def save_facilitators(db: Database, facilitators: Collection[str], days: float = 1) -> None:
    config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=True)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        config.settings,
        list(facilitators),
        user_id="U0ADMIN",
        is_admin=True,
        now=w.at(days),
        decrypt=w.unseal,
    )


def copies_for(db: Database, user: str) -> list[tuple[str, str]]:
    with db.unit_of_work() as uow:
        return [
            (row.idempotency_key, w.rendered(row)) for row in w.outbox(uow.session) if row.channel == user
        ]


def test_a_facilitator_added_while_an_alert_is_open_is_sent_it_at_once_with_the_shared_notes(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [*FACILITATORS, NEWCOMER])
    [(key, shown)] = copies_for(db, NEWCOMER)
    assert key == f"escalation:{escalation_id}:{NEWCOMER}:added"
    assert REASON in shown
    assert SHARED_NOTE in shown
    with db.unit_of_work() as uow:  # due now, not at the next reminder
        [row] = [row for row in w.outbox(uow.session) if row.channel == NEWCOMER]
        assert row.due_at == w.at(1).replace(tzinfo=row.due_at.tzinfo)


def test_a_facilitator_added_after_the_alert_was_claimed_still_gets_it_showing_who_has_it(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(
        EscalationAct(
            db.unit_of_work(), "T0001", FACILITATORS[0], escalation_id, is_admin=False, now=w.at(0.5)
        )
    )
    save_facilitators(db, [*FACILITATORS, NEWCOMER])
    [(_, shown)] = copies_for(db, NEWCOMER)
    assert REASON in shown
    assert FACILITATORS[0] in shown


def test_saving_again_or_removing_and_adding_back_sends_no_second_copy(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [*FACILITATORS, NEWCOMER], days=1)
    save_facilitators(db, [*FACILITATORS, NEWCOMER], days=1.1)
    save_facilitators(db, FACILITATORS, days=1.2)
    save_facilitators(db, [*FACILITATORS, NEWCOMER], days=1.3)
    assert len(copies_for(db, NEWCOMER)) == 1


def test_a_partner_of_the_pair_made_a_facilitator_is_never_sent_their_own_alert(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [*FACILITATORS, "U0COACH", NEWCOMER])
    assert copies_for(db, "U0COACH") == []
    assert len(copies_for(db, NEWCOMER)) == 1


def test_a_facilitator_added_who_was_once_paired_with_one_of_the_partners_is_never_sent_the_alert(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:  # last year, in another cohort, the learner's mentor
        workspace = uow.session.get_one(Workspace, world.workspace_id)
        last_year = factories.cohort(uow.session, workspace, "pgy0", "Last year")
        former = factories.member(uow.session, last_year, "U0FORMER", Role.MENTOR)
        factories.pair(uow.session, former, factories.member(uow.session, last_year, "U0LEARN"))
        uow.commit()
    save_facilitators(db, [*FACILITATORS, "U0FORMER", NEWCOMER])
    assert copies_for(db, "U0FORMER") == []
    [(_, shown)] = copies_for(db, NEWCOMER)
    assert SHARED_NOTE in shown


def test_the_facilitators_already_there_are_sent_nothing_more(
    db: Database, world: World, escalation_id: int
) -> None:
    before = [copies_for(db, user) for user in FACILITATORS]
    save_facilitators(db, [*FACILITATORS, NEWCOMER])
    assert [copies_for(db, user) for user in FACILITATORS] == before


def test_a_resolved_alert_is_sent_to_nobody_new(db: Database, world: World, escalation_id: int) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Escalation, escalation_id).status = EscalationStatus.RESOLVED
        uow.commit()
    save_facilitators(db, [*FACILITATORS, NEWCOMER])
    assert copies_for(db, NEWCOMER) == []
