"""Acting on an escalation: only its cohort's facilitators or admins, every step in the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.errors import EscalationClosed, EscalationNotYours, EscalationTaken
from circles.messages import Claim, Resolution
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Partnership
from circles.services.escalations.access import EscalationAct, check_access
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.partnership import end_from_escalation, pause_from_escalation
from circles.services.escalations.resolve import resolve_escalation
from circles.services.escalations.snooze import snooze_escalation
from circles.services.escalations.view import EscalationView
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import SHARED_NOTE


def trail(db: Database) -> list[tuple[str, str]]:
    with db.unit_of_work() as uow:
        events = uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id))
        return [(e.actor, e.action) for e in events]


def stored(db: Database, escalation_id: int) -> Escalation:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Escalation, escalation_id)


def claim(
    db: Database, escalation_id: int, user: str, days: float = 1, team: str = "T0001"
) -> EscalationView:
    return claim_escalation(
        EscalationAct(
            db.unit_of_work(), team, user, escalation_id, is_admin=False, now=w.at(days), decrypt=w.unseal
        )
    )


def test_claiming_makes_it_theirs_and_every_copy_shows_who_and_when(db: Database, escalation_id: int) -> None:
    view = claim(db, escalation_id, "U0FAC2")
    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.claimed_by, escalation.claimed_at) == (
        EscalationStatus.CLAIMED,
        "U0FAC2",
        w.at(1),
    )
    assert trail(db) == [("circles", "opened"), ("U0FAC2", "claimed")]
    assert {(c.channel, c.ts) for c in view.copies} == {("D0U0FAC1", "1.0"), ("D0U0FAC2", "1.1")}
    assert view.card.claim == Claim("U0FAC2", w.at(1))
    assert [n.text for n in view.card.notes][-1] == SHARED_NOTE
    assert view.actor_facilitates


def test_a_second_facilitator_is_told_who_already_has_it_and_nothing_changes(
    db: Database, escalation_id: int
) -> None:
    claim(db, escalation_id, "U0FAC1")
    with pytest.raises(EscalationTaken) as taken:
        claim(db, escalation_id, "U0FAC2", days=2)
    assert taken.value.claimed_by == "U0FAC1"
    claim(db, escalation_id, "U0FAC1", days=3)  # pressing again is harmless
    assert stored(db, escalation_id).claimed_at == w.at(1)
    assert trail(db) == [("circles", "opened"), ("U0FAC1", "claimed")]


def test_snoozing_sets_it_aside_for_the_chosen_days(db: Database, escalation_id: int) -> None:
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)), 7
    )
    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.snoozed_until) == (EscalationStatus.SNOOZED, w.at(8))
    with db.unit_of_work() as uow:
        event = uow.session.scalars(select(EscalationEvent).where(EscalationEvent.action == "snoozed")).one()
        assert (event.actor, event.detail, event.at) == ("U0FAC1", {"days": 7}, w.at(1))
    with pytest.raises(ValueError, match="snooze"):
        snooze_escalation(
            EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)), 5
        )


def test_resolving_records_the_outcome_and_takes_the_notes_off_every_copy(
    db: Database, escalation_id: int
) -> None:
    view = resolve_escalation(
        EscalationAct(
            db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(2), decrypt=w.unseal
        ),
        Outcome.RECONNECTED,
        "  Talked with both; they found a new time.  ",
    )
    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.outcome, escalation.resolved_at) == (
        EscalationStatus.RESOLVED,
        "reconnected",
        w.at(2),
    )
    with db.unit_of_work() as uow:
        event = uow.session.scalars(select(EscalationEvent).where(EscalationEvent.action == "resolved")).one()
        assert event.detail == {
            "outcome": "reconnected",
            "comment": "Talked with both; they found a new time.",
        }
    assert view.card.notes == ()
    assert (view.card.resolution or Resolution()).by == "U0FAC1"
    for act in (
        lambda: claim(db, escalation_id, "U0FAC2", days=3),
        lambda: check_access(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False),
    ):
        with pytest.raises(EscalationClosed):
            act()


@pytest.mark.parametrize(
    ("team", "user"),
    [
        ("T0001", "U0LEARN"),
        ("T0001", "U0COACH"),
        ("T0001", "U0OTHER"),
        ("T0001", "U0NOBODY"),
        ("T0002", "U0FAC1"),
    ],
)
def test_anyone_but_the_cohorts_facilitators_is_refused_and_nothing_changes(
    db: Database, escalation_id: int, team: str, user: str
) -> None:
    with db.unit_of_work() as setup:
        w.build(setup.session, "T0002", "pgy1")  # the same people and slug, another workspace
        setup.commit()
    uow, now = db.unit_of_work, w.at(1)
    attempts: list[Callable[[], object]] = [
        lambda: claim(db, escalation_id, user, team=team),
        lambda: snooze_escalation(
            EscalationAct(uow(), team, user, escalation_id, is_admin=False, now=now), 3
        ),
        lambda: resolve_escalation(
            EscalationAct(uow(), team, user, escalation_id, is_admin=False, now=now), Outcome.ENDED, ""
        ),
        lambda: check_access(uow(), team, user, escalation_id, is_admin=False),
        lambda: pause_from_escalation(
            EscalationAct(uow(), team, user, escalation_id, is_admin=False, now=now),
            request_key=factories.request_key(),
        ),
        lambda: end_from_escalation(
            EscalationAct(uow(), team, user, escalation_id, is_admin=False, now=now),
            rematch=True,
            request_key=factories.request_key(),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(EscalationNotYours):
            attempt()
    assert stored(db, escalation_id).status is EscalationStatus.OPEN
    assert trail(db) == [("circles", "opened")]
    with db.unit_of_work() as check:
        assert check.session.get_one(Partnership, 1).status is PartnershipStatus.ACTIVE


def test_an_unknown_escalation_says_nothing_about_whether_it_exists(db: Database, escalation_id: int) -> None:
    with pytest.raises(EscalationNotYours):
        claim(db, escalation_id + 1000, "U0FAC1")


def test_a_workspace_admin_may_act_though_not_a_facilitator(db: Database, escalation_id: int) -> None:
    view = claim_escalation(
        EscalationAct(
            db.unit_of_work(), "T0001", "U0ADMIN", escalation_id, is_admin=True, now=w.at(1), decrypt=w.unseal
        )
    )
    assert stored(db, escalation_id).claimed_by == "U0ADMIN"
    assert not view.actor_facilitates
    assert view.admin_card.notes == ()  # an admin's own copy shows no partner's note


def test_every_action_is_in_the_trail_with_who_and_when(db: Database, escalation_id: int) -> None:
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)), 1
    )
    claim(db, escalation_id, "U0FAC2", days=1.5)
    resolve_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(3)),
        Outcome.NO_ACTION,
        "",
    )
    with db.unit_of_work() as uow:
        events = uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id)).all()
        got = [(e.actor, e.action, e.at - w.at()) for e in events]
    assert got == [
        ("circles", "opened", timedelta(0)),
        ("U0FAC1", "snoozed", timedelta(days=1)),
        ("U0FAC2", "claimed", timedelta(days=1.5)),
        ("U0FAC2", "resolved", timedelta(days=3)),
    ]


def test_the_resolve_form_shows_the_hint_of_the_alerts_cohort(db: Database, escalation_id: int) -> None:
    def hint() -> str:
        return check_access(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False)

    assert hint() == DEFAULT_FREE_TEXT_HINT
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort)).one().free_text_hint = "No patient names, please."
        uow.commit()
    assert hint() == "No patient names, please."
