"""Opening escalations from health concerns: who hears, what they see, and when nothing new is opened."""

from __future__ import annotations

from sqlalchemy import select

from bot.messages import render
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.messages import PlainNotice, SupportRequest
from circles.notes import NoteUnreadable
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import Concern, open_escalations, shared_notes
from circles.services.escalations.resolve import resolve_escalation
from circles.services.escalations.snooze import snooze_escalation
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, OLD_NOTE, PRIVATE_NOTE, REASON, SHARED_NOTE, World


def open_now(db: Database, *concerns: Concern, days: float = 0, decrypt: bool = True) -> list[int]:
    with db.unit_of_work() as uow:
        opened = open_escalations(uow.session, concerns, w.at(days), decrypt=w.unseal if decrypt else None)
        uow.commit()
    return opened


def test_a_struggling_pair_opens_one_escalation_and_one_private_dm_per_facilitator(
    db: Database, world: World
) -> None:
    [escalation_id] = open_now(db, w.struggling(world.partnership_id))
    with db.unit_of_work() as uow:
        rows = w.outbox(uow.session)
        escalation = uow.session.get_one(Escalation, escalation_id)
        [event] = uow.session.scalars(select(EscalationEvent)).all()
        assert (escalation.status, escalation.reasons) == (EscalationStatus.OPEN, [REASON])
        assert (event.actor, event.action, event.at) == ("circles", "opened", w.at())
        assert event.detail["to"] == list(FACILITATORS)
    assert sorted(row.channel or "" for row in rows) == list(FACILITATORS)  # nobody else, no channel
    for row in rows:
        assert row.payload["private"] is True
        assert row.idempotency_key == f"escalation:{escalation_id}:{row.channel}:opened"
        shown = w.rendered(row)
        assert "<@U0COACH> and <@U0LEARN>" in shown
        assert "PGY-1 &lt;spring&gt;" in shown
        assert REASON in shown
        assert "19 Oct needs attention → 2 Nov struggling" in shown
        assert SHARED_NOTE in shown
        assert OLD_NOTE in shown
        assert PRIVATE_NOTE not in shown  # the coach did not share it
        assert shown.index(OLD_NOTE) < shown.index(SHARED_NOTE)  # oldest first


def test_the_notification_text_names_nobody(db: Database, world: World) -> None:
    open_now(db, w.struggling(world.partnership_id))
    with db.unit_of_work() as uow:
        row = w.outbox(uow.session)[0]
    text = render(row.payload["template"], row.payload["args"]).text
    assert "U0LEARN" not in text
    assert REASON not in text


def test_needs_attention_opens_only_once_the_streak_reaches_the_cohorts_threshold(
    db: Database, world: World
) -> None:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        cohort.health_thresholds = HealthThresholds(attention_checkins_before_escalation=3).to_json()
        uow.commit()
    assert open_now(db, w.needs_attention(world.partnership_id, 1)) == []
    assert open_now(db, w.needs_attention(world.partnership_id, 2)) == []
    assert len(open_now(db, w.needs_attention(world.partnership_id, 3))) == 1


def test_healthy_pairs_and_ended_partnerships_open_nothing(db: Database, world: World) -> None:
    calm = [Concern(world.partnership_id, state, (), 0) for state in ("thriving", "steady")]
    assert open_now(db, *calm) == []
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, world.partnership_id).status = PartnershipStatus.ENDED
        uow.commit()
    assert open_now(db, w.struggling(world.partnership_id)) == []
    assert open_now(db, Concern(987654, "struggling", ("unknown pair",), 0)) == []


def test_no_second_escalation_while_one_is_open_claimed_or_snoozed(db: Database, world: World) -> None:
    [escalation_id] = open_now(db, w.struggling(world.partnership_id))
    assert open_now(db, w.struggling(world.partnership_id), days=1) == []
    claim_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1))
    )
    assert open_now(db, w.struggling(world.partnership_id), days=2) == []
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(2)), 3
    )
    # Even after the snooze has run out: it comes back through the follow-ups, never as a second one.
    assert open_now(db, w.struggling(world.partnership_id, "no meeting reported for 30 days"), days=9) == []
    with db.unit_of_work() as uow:
        assert len(uow.session.scalars(select(Escalation)).all()) == 1
        assert len(w.outbox(uow.session)) == 2
        escalation = uow.session.get_one(Escalation, escalation_id)
        assert escalation.reasons == ["no meeting reported for 30 days"]  # what it shows stays current


def test_a_resolved_concern_opens_again_only_on_newer_evidence(db: Database, world: World) -> None:
    [first] = open_now(db, w.struggling(world.partnership_id))
    resolve_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", first, is_admin=False, now=w.at(1)),
        Outcome.RECONNECTED,
        "",
    )
    # Health has not changed since: the same check-ins do not undo the facilitator's resolution.
    assert open_now(db, w.struggling(world.partnership_id), days=2) == []
    newer = w.needs_attention(world.partnership_id, 2, last_checkin="2026-11-16")
    [second] = open_now(db, newer, days=14)
    assert second != first
    with db.unit_of_work() as uow:
        keys = {row.idempotency_key for row in w.outbox(uow.session)}
    assert {f"escalation:{second}:{user}:opened" for user in FACILITATORS} <= keys


def test_a_whole_check_in_period_after_resolving_counts_as_recurring(db: Database, world: World) -> None:
    [first] = open_now(db, w.struggling(world.partnership_id))
    resolve_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", first, is_admin=False, now=w.at(1)),
        Outcome.NO_ACTION,
        "",
    )
    assert open_now(db, w.struggling(world.partnership_id), days=14) == []
    assert len(open_now(db, w.struggling(world.partnership_id), days=15)) == 1  # every 2 weeks by default


def test_without_the_notes_key_the_alert_carries_no_notes(db: Database, world: World) -> None:
    open_now(db, w.struggling(world.partnership_id), decrypt=False)
    with db.unit_of_work() as uow:
        shown = " ".join(w.rendered(row) for row in w.outbox(uow.session))
    assert REASON in shown
    assert SHARED_NOTE not in shown
    assert "sealed" not in shown


def test_a_note_that_no_longer_opens_is_left_out_and_the_rest_shown(db: Database, world: World) -> None:
    def picky(token: bytes) -> str:
        text = w.unseal(token)
        if text == OLD_NOTE:
            raise NoteUnreadable()  # written under a key since lost
        return text

    with db.unit_of_work() as uow:
        notes = shared_notes(uow.session, world.partnership_id, picky)
    assert [(n.author, n.text) for n in notes] == [("U0LEARN", SHARED_NOTE)]
    assert notes[0].at == w.at(-14, 3)


def test_each_escalation_stays_in_its_own_workspace(db: Database, world: World) -> None:
    with db.unit_of_work() as uow:
        other = w.build(uow.session, "T0002", "other")
        uow.commit()
    [mine] = open_now(db, w.struggling(world.partnership_id))
    with db.unit_of_work() as uow:
        assert {row.workspace_id for row in w.outbox(uow.session)} == {world.workspace_id}
    [theirs] = open_now(db, w.struggling(other.partnership_id))
    with db.unit_of_work() as uow:
        escalations = {e.id: e.workspace_id for e in uow.session.scalars(select(Escalation))}
        rows = [row for row in w.outbox(uow.session) if row.workspace_id == other.workspace_id]
    assert escalations == {mine: world.workspace_id, theirs: other.workspace_id}
    assert all(row.idempotency_key.startswith(f"escalation:{theirs}:") for row in rows)
    assert len(rows) == 2


def test_only_private_messages_are_marked_for_the_dispatcher_to_scrub(db: Database, world: World) -> None:
    with db.unit_of_work() as uow:
        plain = Outgoing("hello:1", "U0LEARN", PlainNotice("Hi"))
        secret = Outgoing("secret:1", "U0FAC1", SupportRequest("PGY-1", "U0LEARN", "Shh"))
        assert enqueue_many(uow.session, world.workspace_id, [plain, secret], w.at(), w.at()) == 2
        uow.commit()
        payloads = {row.idempotency_key: row.payload for row in w.outbox(uow.session)}
    assert payloads["hello:1"] == {"template": "plain", "args": {"text": "Hi"}}
    assert payloads["secret:1"] == {
        "template": "support_request",
        "args": {
            "cohort_name": "PGY-1",
            "member_user_id": "U0LEARN",
            "message": "Shh",
            "partner_user_id": None,
        },
        "private": True,
    }
