"""The rows a pass is about to send, looked at again together just before their calls
(circles.services.outbox.turns): what stopped being true while they waited their turn is never posted."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.gateway.jobs import Job
from bot.gateway.summary import DispatchSummary
from circles.persistence.db import Database
from circles.persistence.retry import again_if_dropped
from circles.services.outbox.turns import still_to_send

logger = logging.getLogger(__name__)


def still_going(db: Database, jobs: list[Job], now: datetime, summary: DispatchSummary) -> list[Job]:
    """Of these jobs, in order, those to start now, each with its row as it stands; the others' rows were
    settled (superseded, held back) or are no longer this pass's, and are left alone. One transaction,
    done again on a new connection if the database dropped it: looking twice changes nothing more."""
    going = {
        row.id: row
        for row in again_if_dropped(lambda: still_to_send(db.unit_of_work(), [j.row for j in jobs], now))
    }
    started = []
    for job in jobs:
        if (row := going.get(job.row.id)) is None:
            logger.info("outbox row %s: no longer to send when its turn came", job.row.id)
            summary.dropped += 1
            continue
        job.row = row
        started.append(job)
    return started
