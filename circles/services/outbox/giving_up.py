"""A row given up is failed together with what follows from it, in one transaction.

Slack kept failing until the row's last attempt: it is failed, and what it carried taken on, in the
transaction that records that attempt, so that a process that dies, or a database that goes away, between
the two can lose neither (the claim then expires, and the next claim gives the row up again, see expired).
What follows depends on the row: an alert, a support request or a partner's ending report goes to someone
who may hear it (unreachable); a removal from a circle's channel is left to the facilitators, told once
(circle_exit); a round's step is recorded as not done, and its circle or pair goes on (rounds.record).
"""

from __future__ import annotations

from datetime import datetime

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import MatchRun
from circles.queries.outbox import claims
from circles.services.escalations.sending import Admins
from circles.services.outbox.queue import Claimed, Trail
from circles.services.outbox.unreachable import Unreachable, carried_on, carries
from circles.services.people.circle_exit import KICK, tell_stuck
from circles.services.rounds.queue import round_row
from circles.services.rounds.record import hold_run, step_not_done


def retry_or_give_up(
    uow: UnitOfWork,
    row: Claimed,
    error: str,
    at: datetime,
    trail: Trail,
    *,
    now: datetime,
    max_attempts: int,
    admins: Admins,
) -> OutboxStatus | None:
    """Put the row back to be tried at `at`, or, after its last attempt, fail it and take on what it carried;
    None if the claim is no longer ours (nothing is recorded then)."""
    with uow:
        session, step = uow.session, _step(row)
        run = None if step is None else hold_run(session, step)  # a round's run before its rows, as always
        status = claims.put_back(
            session,
            row.id,
            row.attempt,
            error=error,
            at=at,
            trail=trail.to_json(),
            max_attempts=max_attempts,
        )
        if status is OutboxStatus.FAILED:
            _follow(session, row, error, now, admins, run)
        uow.commit()
        return status


def taken_on(uow: UnitOfWork, row: Claimed, error: str, now: datetime, admins: Admins) -> None:
    """What follows from a row that a claim gave up (failed in the claim's own transaction)."""
    with uow:
        step = _step(row)
        _follow(uow.session, row, error, now, admins, None if step is None else hold_run(uow.session, step))
        uow.commit()


def _follow(
    session: Session, row: Claimed, error: str, now: datetime, admins: Admins, run: MatchRun | None
) -> None:
    step = _step(row)
    if run is not None and step is not None:
        step_not_done(session, run, step, error, now)
    elif row.method == KICK:
        tell_stuck(session, row.workspace_id, row.key, row.payload, error, now, admins)
    elif row.channel and carries(row.payload, row.channel):
        lost = Unreachable(row.id, row.attempt, row.workspace_id, row.key, row.channel, row.payload)
        carried_on(session, [lost], now, admins)


def _step(row: Claimed) -> int | None:
    found = round_row(row.payload)
    return None if found is None else found.step_id
