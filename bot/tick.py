"""One scheduling pass: turn time into messages and send them. `circles tick` and the scheduler run it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.deps import Deps, note_decrypt
from bot.dispatch import DispatchOptions, dispatch
from circles.services.endings import complete_finished_cohorts
from circles.services.nudges import plan_nudges
from circles.services.planning import expire_overdue, plan
from circles.services.watch import watch

logger = logging.getLogger(__name__)


@dataclass
class TickSummary:
    """What one pass did, step by step, in counts (never names or texts: this goes to logs)."""

    now: datetime
    counts: dict[str, int] = field(default_factory=dict)
    dispatch: str = ""  # the dispatch pass in words, with error codes (never message texts)

    def lines(self) -> list[str]:
        steps = [f"  {name}: {count}" for name, count in self.counts.items()]
        sending = [f"  sending: {self.dispatch}"] if self.dispatch else []
        return [f"tick at {self.now.isoformat()}", *steps, *sending]


def run_tick(deps: Deps, now: datetime, *, sending: DispatchOptions | None = None) -> TickSummary:
    """Plan everything due around `now` (idempotently), then send what is due."""
    summary = TickSummary(now)
    grace = timedelta(hours=deps.settings.circles_grace_hours)
    with deps.db.unit_of_work() as uow:
        summary.counts["partnerships completed"] = complete_finished_cohorts(uow.session, now)
        planned = plan(uow.session, now, grace=grace)
        summary.counts["messages planned"] = sum(planned.planned.values())
        summary.counts["occurrences missed"] = sum(planned.missed.values())
        summary.counts["check-ins planned"] = planned.checkins
        summary.counts["cohorts skipped"] = len(planned.skipped_cohorts)
        nudged = plan_nudges(uow.session, now)
        summary.counts["coach digests planned"] = nudged.digests
        summary.counts["digests skipped"] = nudged.skipped
        summary.counts["overdue messages expired"] = expire_overdue(uow.session, now, grace)
        uow.commit()
    with deps.db.unit_of_work() as uow:
        watched = watch(uow.session, now, admins=deps.settings.circles_admins, decrypt=note_decrypt(deps))
        summary.counts["partnerships watched"] = watched.partnerships
        summary.counts["needing care"] = watched.needing_care
        summary.counts["escalations opened"] = watched.escalations_opened
        summary.counts["escalation follow-ups"] = watched.follow_ups
        uow.commit()
    sent = dispatch(deps, now, options=sending)
    summary.counts["messages sent"] = sent.sent + sent.deduplicated
    summary.counts["messages failed"] = sent.failed
    summary.counts["messages that could not be built"] = sent.unbuildable
    summary.counts["messages to retry"] = sent.retried + sent.released
    summary.dispatch = str(sent)
    logger.info("%s", "; ".join(summary.lines()))
    return summary
