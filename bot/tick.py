"""One scheduling pass: turn time into messages and send them. `circles tick` and the scheduler run it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps, note_decrypt
from bot.dispatch import DispatchOptions, dispatch
from circles.services.planning import tick
from circles.services.planning.tick import Sent, TickSummary

logger = logging.getLogger(__name__)


def run_tick(
    deps: Deps, now: datetime, *, sending: DispatchOptions | None = None, full: bool = False
) -> TickSummary:
    """Plan everything due around `now` (idempotently), watch what is due, then send what is due.

    `full` recomputes the health of every active partnership rather than only the due ones (repairs).
    """

    def send() -> Sent:
        done = dispatch(deps, now, options=sending)
        to_retry = done.retried + done.released
        return Sent(done.sent + done.deduplicated, done.failed, done.unbuildable, to_retry, str(done))

    summary = tick.run_tick(
        deps.db,
        now,
        grace=timedelta(hours=deps.settings.circles_grace_hours),
        admins=deps.settings.circles_admins,
        decrypt=note_decrypt(deps),
        send=send,
        full=full,
    )
    logger.info("%s", "; ".join(summary.lines()))
    return summary
