"""A facilitator taken off a cohort keeps nothing of its pairs in their DMs: each copy of its alerts they
hold, resolved ones too, is redrawn without the pair at once, and the pair ending later never draws it
back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from circles.domain.escalations import Outcome
from circles.domain.health import STATE_WORDS
from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Facilitator, Member, OutboxMessage
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.open import open_escalations
from circles.services.escalations.resolve import resolve_escalation
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.changes import end_partnership
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import OLD_NOTE, REASON, SHARED_NOTE, World
from tests.integration.escalations.test_new_facilitators import save_facilitators
from tests.integration.test_statements_at_scale import FACILITATORS, statements, struggling_cohort

LEAVING, STAYING = "U0FAC1", "U0FAC2"
PRIVATE = ("U0COACH", "U0LEARN", "U0OTHER", REASON, SHARED_NOTE, OLD_NOTE, "Recent check-ins")
HEALTH = tuple(words.word.lower() for words in STATE_WORDS.values())


@dataclass(frozen=True)
class Update:
    key: str
    channel: str
    ts: str
    template: str
    shown: str


def updates(db: Database) -> list[Update]:
    """Every chat.update recorded, oldest first, as it will read."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.method == "chat.update").order_by(OutboxMessage.id)
        )
        return [
            Update(
                row.idempotency_key,
                row.channel or "",
                w.args_of(row)["ts"],
                row.payload["template"],
                w.rendered(row),
            )
            for row in rows
        ]


def copies_of(db: Database, user: str) -> set[tuple[str, str]]:
    """(channel, ts) of each alert DM this person was sent."""
    with db.unit_of_work() as uow:
        return {
            (row.result["channel"], row.result["ts"])
            for row in w.outbox(uow.session)
            if row.channel == user and row.result and row.idempotency_key.startswith("escalation:")
        }


def assert_nothing_of_the_pair(shown: str) -> None:
    for private in PRIVATE:
        assert private not in shown
    assert not any(state in shown.lower() for state in HEALTH)


def assert_withdrawn(found: list[Update], copies: set[tuple[str, str]]) -> None:
    assert {(update.channel, update.ts) for update in found} == copies
    for update in found:
        assert update.template == "escalation_withdrawn"
        assert "is for the cohort's facilitators" in update.shown
        assert_nothing_of_the_pair(update.shown)


def end(db: Database, world: World, days: float = 2) -> None:
    end_partnership(
        db.unit_of_work(), "T0001", "U0LEARN", world.partnership_id, "", w.at(days), request_key="k1"
    )


def to_leaving(db: Database, since: float) -> list[str]:
    """What every row recorded since then for the DM of the facilitator taken off will show."""
    their = {LEAVING, *(channel for channel, _ in copies_of(db, LEAVING))}
    with db.unit_of_work() as uow:
        return [
            w.rendered(row)
            for row in w.outbox(uow.session)
            if row.channel in their and row.created_at >= w.at(since).replace(tzinfo=row.created_at.tzinfo)
        ]


def test_a_facilitator_taken_off_then_the_pair_ending_leaves_nothing_of_the_pair_in_their_dm(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [STAYING], days=1)
    end(db, world)

    sent = to_leaving(db, since=1)
    assert len(sent) == 1
    assert_nothing_of_the_pair(sent[0])
    found = updates(db)
    assert_withdrawn([u for u in found if u.channel == f"D0{LEAVING}"], copies_of(db, LEAVING))
    [kept] = [u for u in found if u.channel == f"D0{STAYING}"]  # the one who stays: the resolved card
    assert (kept.channel, kept.ts) in copies_of(db, STAYING)
    assert kept.key.startswith(f"escalation-ended:{escalation_id}:")
    assert "the partnership ended" in kept.shown
    assert REASON in kept.shown
    assert "<@U0COACH> and <@U0LEARN>" in kept.shown


def test_a_copy_withdrawn_before_it_was_redrawn_is_redrawn_without_the_pair_when_the_pair_ends(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:  # taken off without the form (a save made before copies were redrawn)
        uow.session.execute(delete(Facilitator).where(Facilitator.slack_user_id == LEAVING))
        uow.commit()
    end(db, world)

    found = updates(db)
    withdrawn = [u for u in found if u.channel == f"D0{LEAVING}"]
    assert_withdrawn(withdrawn, copies_of(db, LEAVING))
    assert withdrawn[0].key.startswith(f"escalation-withdrawn:{escalation_id}:")
    assert {u.template for u in found if u.channel == f"D0{STAYING}"} == {"escalation"}


def resolved_alert(db: Database, world: World) -> int:
    """A second pair's alert, sent to both facilitators, then resolved."""
    with db.unit_of_work() as uow:
        session = uow.session
        cohort = session.get_one(Cohort, world.cohort_id)
        other = session.scalars(select(Member).where(Member.slack_user_id == "U0OTHER")).one()
        pair = factories.pair(session, factories.member(session, cohort, "U0COACH2", Role.COACH), other)
        [opened] = open_escalations(session, [w.struggling(pair.id)], w.at(0.5), decrypt=w.unseal)
        waiting = session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING))
        for n, row in enumerate(waiting):
            row.status, row.result = OutboxStatus.SENT, {"channel": f"D0{row.channel}", "ts": f"2.{n}"}
        uow.commit()
    act = EscalationAct(db.unit_of_work(), "T0001", STAYING, opened, is_admin=False, now=w.at(0.7))
    resolve_escalation(act, Outcome.RECONNECTED, "")
    return opened


def test_taking_a_facilitator_off_redraws_their_copies_of_open_and_resolved_alerts_at_once(
    db: Database, world: World, escalation_id: int
) -> None:
    resolved = resolved_alert(db, world)
    assert len(copies_of(db, LEAVING)) == 2
    before = len(updates(db))  # the resolution's own redraws, in the listener, are not the outbox's
    save_facilitators(db, [STAYING], days=1)

    found = updates(db)[before:]
    assert_withdrawn(found, copies_of(db, LEAVING))
    assert {u.key.split(":")[1] for u in found} == {str(escalation_id), str(resolved)}
    assert all(u.channel == f"D0{LEAVING}" for u in found)  # nothing for the one who stays


def test_taking_them_off_again_or_the_pair_ending_afterwards_redraws_nothing_new(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [STAYING], days=1)
    first = [u.key for u in updates(db)]
    assert len(first) == 1

    save_facilitators(db, [STAYING], days=1.5)
    assert [u.key for u in updates(db)] == first
    end(db, world)
    save_facilitators(db, [STAYING], days=3)
    after = [u for u in updates(db) if u.channel == f"D0{LEAVING}"]
    assert [u.key for u in after] == first


def sent_everywhere(db: Database) -> None:
    """The dispatcher posted every alert DM waiting, each with where it landed."""
    with db.unit_of_work() as uow:
        for row in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ):
            row.status, row.result = OutboxStatus.SENT, {"channel": f"D0{row.channel}", "ts": f"1.{row.id}"}
        uow.commit()


def take_off(db: Database, team: str) -> None:
    config = cohort_config(db.reading(), team, "pgy1", user_id="U0ADMIN", is_admin=True)
    configure_cohort(
        db.unit_of_work(),
        team,
        "pgy1",
        config.settings,
        [FACILITATORS[1]],
        user_id="U0ADMIN",
        is_admin=True,
        now=w.at(days=1),
        decrypt=w.unseal,
    )


def test_a_facilitator_taken_off_twelve_alerts_has_them_redrawn_as_cheaply_as_two(db: Database) -> None:
    for team, pairs in (("T0001", 2), ("T0002", 12)):
        made = struggling_cohort(db, team, pairs)
        with db.unit_of_work() as uow:
            open_escalations(uow.session, [w.struggling(p) for p in made], w.at(), decrypt=w.unseal)
            uow.commit()
    sent_everywhere(db)
    assert statements(db, lambda: take_off(db, "T0002")) == statements(db, lambda: take_off(db, "T0001"))
    found = updates(db)
    assert len(found) == 14
    assert {u.channel for u in found} == {f"D0{FACILITATORS[0]}"}


def test_a_copy_still_waiting_to_go_to_a_facilitator_taken_off_is_never_sent(
    db: Database, world: World
) -> None:
    # Slack was down, or the queue long: their DM of the alert was still in the outbox.
    with db.unit_of_work() as uow:
        open_escalations(uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal)
        uow.commit()
    save_facilitators(db, [STAYING], days=1)

    claimed = claim_due(db.unit_of_work(), w.at(1.1), limit=50, claim_for=timedelta(minutes=5))
    assert {row.channel for row in claimed if row.key.startswith("escalation:")} == {STAYING}
    with db.unit_of_work() as uow:
        statuses = {
            row.channel: row.status
            for row in w.outbox(uow.session)
            if row.idempotency_key.startswith("escalation:")
        }
    assert statuses == {LEAVING: OutboxStatus.SUPERSEDED, STAYING: OutboxStatus.CLAIMED}


def test_a_copy_waiting_for_someone_taken_off_and_put_back_still_goes(db: Database, world: World) -> None:
    with db.unit_of_work() as uow:
        open_escalations(uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal)
        uow.commit()
    save_facilitators(db, [STAYING], days=1)
    save_facilitators(db, [STAYING, LEAVING], days=1.05)

    claimed = claim_due(db.unit_of_work(), w.at(1.1), limit=50, claim_for=timedelta(minutes=5))
    assert {row.channel for row in claimed if row.key.startswith("escalation:")} == {STAYING, LEAVING}
