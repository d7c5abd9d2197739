"""A facilitator taken off a cohort and put back sees its open alerts again in full, in the copies they
hold; taken off again, those copies are withdrawn again, however often it happens."""

from __future__ import annotations

from datetime import timedelta

from circles.persistence.db import Database
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import open_escalations
from circles.services.outbox.queue import claim_due
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World
from tests.integration.escalations.test_new_facilitators import NEWCOMER, copies_for, save_facilitators
from tests.integration.escalations.test_withdrawn_copies import (
    assert_nothing_of_the_pair,
    copies_of,
    end,
    sent_everywhere,
    updates,
)

ORIGINAL = FACILITATORS[0]


def in_dm(db: Database, user: str) -> list[tuple[str, str]]:
    """(template, what it shows) of every message posted to this person's DM or redrawing one there, in
    the order recorded."""
    with db.unit_of_work() as uow:
        return [
            (row.payload["template"], w.rendered(row))
            for row in w.outbox(uow.session)
            if row.channel in (user, f"D0{user}")
        ]


def added_taken_off_and_put_back(db: Database) -> None:
    """The newcomer is sent the open alert, taken off (their copy withdrawn), then put back."""
    save_facilitators(db, [*FACILITATORS, NEWCOMER], days=1)
    sent_everywhere(db)
    save_facilitators(db, FACILITATORS, days=8)
    sent_everywhere(db)
    save_facilitators(db, [*FACILITATORS, NEWCOMER], days=15)


def assert_in_full(shown: str) -> None:
    for words in (REASON, SHARED_NOTE, "<@U0COACH> and <@U0LEARN>", "reach out"):
        assert words in shown


def test_a_facilitator_added_taken_off_and_put_back_has_the_alert_drawn_in_full_again_in_the_same_message(
    db: Database, world: World, escalation_id: int
) -> None:
    added_taken_off_and_put_back(db)

    assert len(copies_for(db, NEWCOMER)) == 1  # no second alert in their DM
    [copy] = copies_of(db, NEWCOMER)
    last = updates(db)[-1]
    assert (last.channel, last.ts) == copy
    assert last.template == "escalation"
    assert_in_full(last.shown)


def test_an_original_facilitator_put_back_has_their_copy_drawn_in_full_again_not_a_second_alert(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [FACILITATORS[1]], days=1)
    sent_everywhere(db)
    save_facilitators(db, FACILITATORS, days=2)

    assert len(copies_for(db, ORIGINAL)) == 1  # no second alert in their DM
    last = updates(db)[-1]
    assert (last.channel, last.ts) in copies_of(db, ORIGINAL)
    assert last.template == "escalation"
    assert_in_full(last.shown)


def test_a_facilitator_put_back_then_taken_off_again_has_their_copy_withdrawn_again(
    db: Database, world: World, escalation_id: int
) -> None:
    added_taken_off_and_put_back(db)
    sent_everywhere(db)
    act = EscalationAct(
        db.unit_of_work(), "T0001", FACILITATORS[1], escalation_id, is_admin=False, now=w.at(15.5)
    )
    view = claim_escalation(act)  # the button's listener redraws every copy by this view
    [theirs] = [copy for copy in view.copies if copy.channel == f"D0{NEWCOMER}"]
    assert not theirs.withdrawn  # drawn in full, the claim shown
    save_facilitators(db, FACILITATORS, days=16)

    shown = in_dm(db, NEWCOMER)
    templates = [template for template, _ in shown]
    assert templates == ["escalation", "escalation_withdrawn", "escalation", "escalation_withdrawn"]
    assert_nothing_of_the_pair(shown[-1][1])
    assert (updates(db)[-1].channel, updates(db)[-1].ts) == (theirs.channel, theirs.ts)

    end(db, world, days=17)  # the pair ending, or saving again, finds that withdrawal done
    save_facilitators(db, FACILITATORS, days=18)
    assert [template for template, _ in in_dm(db, NEWCOMER)] == templates


def test_each_time_a_facilitator_is_put_back_and_taken_off_their_copy_follows(
    db: Database, world: World, escalation_id: int
) -> None:
    added_taken_off_and_put_back(db)
    for days in (16, 17, 18):
        sent_everywhere(db)
        save_facilitators(db, FACILITATORS if days % 2 == 0 else [*FACILITATORS, NEWCOMER], days=days)

    assert [template for template, _ in in_dm(db, NEWCOMER)] == [
        "escalation",
        *["escalation_withdrawn", "escalation"] * 2,
        "escalation_withdrawn",
    ]


def test_a_full_redraw_still_waiting_when_they_are_taken_off_again_is_never_sent(
    db: Database, world: World, escalation_id: int
) -> None:
    added_taken_off_and_put_back(db)  # their copy's full redraw waits (Slack was down)
    save_facilitators(db, FACILITATORS, days=15.1)

    claimed = claim_due(db.unit_of_work(), w.at(15.2), limit=50, claim_for=timedelta(minutes=5))
    assert [row.payload["template"] for row in claimed if row.channel == f"D0{NEWCOMER}"] == [
        "escalation_withdrawn"
    ]


def test_a_facilitator_put_back_whose_copy_is_still_waiting_gets_no_second_one(
    db: Database, world: World
) -> None:
    with db.unit_of_work() as uow:  # Slack was down: their copy waits in the outbox
        open_escalations(uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal)
        uow.commit()
    save_facilitators(db, [FACILITATORS[1]], days=1)
    save_facilitators(db, FACILITATORS, days=1.1)

    assert len(copies_for(db, ORIGINAL)) == 1
    claimed = claim_due(db.unit_of_work(), w.at(1.2), limit=50, claim_for=timedelta(minutes=5))
    assert [row.channel for row in claimed].count(ORIGINAL) == 1
