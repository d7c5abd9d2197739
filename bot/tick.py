"""One scheduling pass: turn time into messages and send them. `circles tick` and the scheduler run it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps, note_decrypt
from bot.dispatch import DispatchOptions, dispatch
from circles.persistence.costs import Costs
from circles.services.planning import tick
from circles.services.planning.tick import Sent, TickSummary
from circles.services.support.care import forget_answers

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
    _forget(deps, now, summary)
    logger.info("%s", "; ".join(summary.lines()))
    return summary


def _forget(deps: Deps, now: datetime, summary: TickSummary) -> None:
    """After the pass, forget the answers to typed messages whose minute is long over: one statement. A
    failure here is the log's alone; the next pass tries again."""
    try:
        with Costs(deps.db.engine, summary.costs) as cost, cost("forgetting"):
            summary.counts["answers to typed messages forgotten"] = forget_answers(
                deps.db.unit_of_work(), now
            )
    except Exception as error:
        logger.warning("tick: could not forget old answers to typed messages (%s)", type(error).__name__)
