"""A round's first steps, when every dispatcher that claims them dies holding them until the outbox gives
them up: each is recorded as not done, and the round still completes, saying what could not be made."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.match_vocabulary import RunStatus, StepKind
from circles.persistence.db import Database
from circles.persistence.models import MatchRun
from circles.services.outbox.queue import claim_due
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests.dispatching import FakeClock, deps_for
from tests.factories import NOW
from tests.integration.test_round_queue import FAC, confirmed

CLAIM = timedelta(minutes=5)
TWO_ATTEMPTS = DispatchOptions(look_up_dnd=False, max_attempts=2, claim_for=CLAIM)


def test_steps_given_up_after_their_dispatchers_kept_dying_are_not_done_and_the_round_completes(
    db: Database,
) -> None:
    run_id = confirmed(db)
    for n in range(2):  # each dispatcher dies holding the round's first steps
        claim_due(db.unit_of_work(), NOW + (CLAIM * 2) * n, limit=100, claim_for=CLAIM, max_attempts=2)
    with SlackStandIn() as standin:
        for user in (FAC, *(f"U0P{n:02d}" for n in range(6))):
            standin.add_user(user)
        pacer = FakeClock().pacer()  # Slack's limits are kept, on a clock that does not wait them out
        for minutes in range(20, 26):
            at = NOW + timedelta(minutes=minutes)
            dispatch(deps_for(db, standin), at, options=TWO_ATTEMPTS, pacer=pacer)
    report = round_report(db.unit_of_work(), run_id)
    assert report.progress.finished
    assert {(p.kind, p.error) for p in report.problems} >= {(StepKind.CIRCLE_CONVERSATION, "claim expired")}
    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE
