"""Claimed rows looked at again as their turn comes, just before their calls: a claim holds its rows for
minutes, and a row can wait tens of seconds behind its workspace's pace, while a facilitator is taken off the
cohort, a member leaves and is erased, or a pair ends. Each wave of rows about to be sent is locked again and
put through the claim's own checks (`checks`, but the window, decided at the claim), in one transaction: a
bounded number of statements per wave, however many rows it holds."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import UnitOfWork
from circles.queries.outbox.sending import lock_held
from circles.services.outbox.checks import not_now
from circles.services.outbox.queue import Claimed


def still_to_send(uow: UnitOfWork, rows: Sequence[Claimed], now: datetime) -> list[Claimed]:
    """Of these claimed rows whose turn has come, those to send now, in order, as they stand (a digest
    brought up to date); commit at once. The others are not this claim's any more (superseded, say, or taken
    by another sender once the claim ran out), or are settled here as the claim would settle them: superseded
    when no longer true, held back (pending, the attempt not counted) when their person is out.

    The rows stay locked until the commit: a change superseding one of them meanwhile waits, and finds it
    still claimed after, so its sender sees the supersede when it records the call (`landed`)."""
    with uow:
        locked = lock_held(uow.session, {row.id: row.attempt for row in rows})
        settled = not_now(uow.session, locked, now, again=True)
        for row in locked:
            if row.id in settled and row.status == OutboxStatus.PENDING:
                row.attempts -= 1  # held back untried: the claim's attempt does not count
        current = {row.id: dict(row.payload) for row in locked if row.id not in settled}
        uow.commit()
    return [
        row if current[row.id] == row.payload else dataclasses.replace(row, payload=current[row.id])
        for row in rows
        if row.id in current
    ]
