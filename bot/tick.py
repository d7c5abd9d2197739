"""One scheduling pass: turn time into messages and send them. `circles tick` and the scheduler run it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.deps import Deps
from circles.services.endings import complete_finished_cohorts
from circles.services.nudges import plan_nudges

logger = logging.getLogger(__name__)


@dataclass
class TickSummary:
    """What one pass did, step by step, in counts (never names or texts: this goes to logs)."""

    now: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"tick at {self.now.isoformat()}"] + [f"  {name}: {count}" for name, count in self.counts.items()]


def run_tick(deps: Deps, now: datetime) -> TickSummary:
    """Plan everything due around `now` (idempotently), then send what is due."""
    summary = TickSummary(now)
    with deps.db.unit_of_work() as uow:
        summary.counts["partnerships completed"] = complete_finished_cohorts(uow.session, now)
        nudged = plan_nudges(uow.session, now)
        summary.counts["coach digests planned"] = nudged.digests
        uow.commit()
    logger.info("%s", "; ".join(summary.lines()))
    return summary
