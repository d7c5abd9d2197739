"""A round's step recorded by a worker at the moment someone changes its new pair (two processes, PostgreSQL):
the pair's conversation kept, or the pair Slack never opened let go once the round is through, while a
partner pauses it, leaves or goes away, a facilitator pauses it from its alert, or the tick completes the
cohort. Each takes the cohort before the pair, so one waits for the other and neither fails (a worker's
failure would leave the step to its claim's expiry, a person's would answer their click with an error).
SQLite's writers take turns: no race there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.errors import PartnershipOver
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Partnership
from circles.services.availability.away import Away, go_away
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.open import open_escalations
from circles.services.escalations.partnership import pause_from_escalation
from circles.services.escalations.view import EscalationView
from circles.services.outbox.queue import Claimed, claim_due
from circles.services.partnerships.changes import (
    PartnershipChange,
    complete_finished_cohorts,
    pause_partnership,
)
from circles.services.people.membership import Left, leave
from circles.services.rounds.queue import round_row
from circles.services.rounds.record import step_failed, step_sent
from tests import escalation_world as w
from tests.databases import meanwhile
from tests.factories import NOW
from tests.integration.test_unmade_pairs import FAC, LEARNER, coach_and_learner_confirmed

OPENED = {"channel": "D0PAIR"}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def pair_being_made(db: Database) -> Claimed:
    """A round of one coach and one learner, confirmed: its pair's conversation step, claimed by a worker."""
    coach_and_learner_confirmed(db)
    claimed = claim_due(db.unit_of_work(), NOW, limit=100, claim_for=timedelta(minutes=5))
    [row] = [r for r in claimed if r.method == "conversations.open"]
    return row


def step_of(row: Claimed) -> int:
    found = round_row(row.payload)
    assert found is not None
    assert found.step_id is not None
    return found.step_id


def opened(db: Database, row: Claimed) -> None:
    """The worker records the conversation Slack opened for the pair."""
    step_sent(db.unit_of_work(), row.id, step_of(row), OPENED, NOW)


def never_opened(db: Database, row: Claimed) -> None:
    """The worker records that Slack refused the pair's conversation for good: the round is through."""
    step_failed(db.unit_of_work(), row.id, row.attempt, step_of(row), "cannot_dm_bot", NOW)


def the_pair(db: Database) -> Partnership:
    with db.reading() as reading:
        pair = reading.session.scalars(select(Partnership)).one()
        reading.session.expunge(pair)
        return pair


def pausing(db: Database) -> Callable[[], object]:
    """The learner's Pause of their new pair, to run on another process."""
    pair_id = the_pair(db).id
    return lambda: pause_partnership(db.unit_of_work(), "T0001", LEARNER, pair_id, NOW, request_key="k1")


def leaving(db: Database) -> Callable[[], object]:
    return lambda: leave(db.unit_of_work(), "T0001", "pgy1", LEARNER, NOW)


def going_away(db: Database) -> Callable[[], object]:
    return lambda: go_away(db.unit_of_work(), "T0001", LEARNER, AwayRequest(weeks=2), NOW)


def facilitator_pausing(db: Database) -> Callable[[], object]:
    """The facilitator's Pause from an alert about the new pair, to run on another process."""
    with db.unit_of_work() as uow:
        [alert] = open_escalations(uow.session, [w.struggling(the_pair(db).id)], NOW, decrypt=w.unseal)
        uow.commit()
    act = EscalationAct(db.unit_of_work(), "T0001", FAC, alert, is_admin=False, now=NOW, decrypt=w.unseal)
    return lambda: pause_from_escalation(act, request_key="k1")


def completed_meanwhile(db: Database, work: Callable[[], object]) -> list[object]:
    """The tick completes the pairs of the cohort, its last day long over; `work` runs on another process
    once the tick holds the cohort, as it writes the pairs. What `work` returned or raised."""
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(ends_on=NOW.date() - timedelta(days=5)))
        uow.commit()
    with db.unit_of_work() as tick, meanwhile(db, "UPDATE partnerships", work) as outcome:
        assert complete_finished_cohorts(tick.session, NOW) == 1
        tick.commit()
    return outcome


def test_pausing_a_pair_as_its_conversation_is_kept_waits_and_both_go_through(db: Database) -> None:
    row = pair_being_made(db)

    with meanwhile(db, "UPDATE cohorts", pausing(db)) as paused:
        opened(db, row)

    assert isinstance(paused[0], PartnershipChange), paused
    pair = the_pair(db)
    assert (pair.status, pair.conversation_id) == (PartnershipStatus.PAUSED, "D0PAIR")


def test_leaving_as_ones_new_pairs_conversation_is_kept_waits_and_both_go_through(db: Database) -> None:
    row = pair_being_made(db)

    with meanwhile(db, "UPDATE cohorts", leaving(db)) as left:
        opened(db, row)

    assert isinstance(left[0], Left), left
    pair = the_pair(db)
    assert (pair.status, pair.end_reason, pair.conversation_id) == (
        PartnershipStatus.ENDED,
        EndReason.MEMBER_LEFT,
        "D0PAIR",
    )


def test_going_away_as_ones_new_pairs_conversation_is_kept_waits_and_both_go_through(db: Database) -> None:
    row = pair_being_made(db)

    with meanwhile(db, "UPDATE cohorts", going_away(db)) as went:
        opened(db, row)

    assert isinstance(went[0], Away), went
    assert the_pair(db).conversation_id == "D0PAIR"


def test_a_facilitator_pausing_a_pair_as_its_conversation_is_kept_waits_and_both_go_through(
    db: Database,
) -> None:
    row = pair_being_made(db)

    with meanwhile(db, "UPDATE cohorts", facilitator_pausing(db)) as paused:
        opened(db, row)

    assert isinstance(paused[0], EscalationView), paused
    pair = the_pair(db)
    assert (pair.status, pair.conversation_id) == (PartnershipStatus.PAUSED, "D0PAIR")


def test_a_pairs_conversation_kept_as_the_tick_completes_its_cohort_waits_for_the_tick(db: Database) -> None:
    row = pair_being_made(db)

    recorded = completed_meanwhile(db, lambda: opened(db, row))

    assert recorded == [None], recorded  # recorded, not a deadlock's victim left for its claim to expire
    pair = the_pair(db)
    assert (pair.status, pair.end_reason, pair.conversation_id) == (
        PartnershipStatus.ENDED,
        EndReason.COMPLETED,
        "D0PAIR",
    )


def test_pausing_a_pair_as_it_is_let_go_unmade_waits_and_is_told_it_is_over(db: Database) -> None:
    row = pair_being_made(db)

    with meanwhile(db, "UPDATE cohorts", pausing(db)) as paused:
        never_opened(db, row)

    assert isinstance(paused[0], PartnershipOver), paused  # a refusal with its own words, not a failure
    pair = the_pair(db)
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.NEVER_MADE)


def test_leaving_as_ones_new_pair_is_let_go_unmade_waits_and_both_go_through(db: Database) -> None:
    row = pair_being_made(db)

    with meanwhile(db, "UPDATE cohorts", leaving(db)) as left:
        never_opened(db, row)

    assert isinstance(left[0], Left), left
    pair = the_pair(db)
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.NEVER_MADE)


def test_a_pair_let_go_unmade_as_the_tick_completes_its_cohort_waits_for_the_tick(db: Database) -> None:
    row = pair_being_made(db)

    recorded = completed_meanwhile(db, lambda: never_opened(db, row))

    assert recorded == [None], recorded
    pair = the_pair(db)
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.COMPLETED)
