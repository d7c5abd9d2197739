"""Turn the cadence of every cohort due into outbox rows and check-ins, each at most once.

`plan` may run as often as anyone likes, from several processes at once: every message has an
idempotency key saying what it is, for whom and which occurrence, and the database keeps one per key.
Both functions work in the caller's transaction; the caller commits.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from circles.domain.catch_up import catch_ups
from circles.domain.plan_due import next_plan_at, recheck_at
from circles.domain.planning import CohortIn, Planned, plan_cohort
from circles.domain.planning.cycles import moved_ahead, once_a_cycle
from circles.domain.schedule import Timing, Window
from circles.persistence.db import Session
from circles.queries.cohorts import store_plan_due
from circles.queries.outbox.late import EXPIRING
from circles.queries.outbox.overdue import overdue_question_pairs
from circles.queries.outbox.rows import expire_pending
from circles.services.planning.due import due_cohorts, resting_due
from circles.services.planning.load import load_cohorts
from circles.services.planning.moved import written_before
from circles.services.planning.write import delete_unsent_checkins, hold_pairs, write
from circles.services.surveys.plan import plan_surveys

logger = logging.getLogger(__name__)

# Rows are written this far ahead of their instant, so a short outage around it loses nothing; kept
# short because a row once written is not revisited when someone pauses or a setting changes.
DEFAULT_HORIZON = timedelta(hours=1)
# How far back an outage is accounted for with `missed` rows; anything older is simply left out.
DEFAULT_LOOK_BACK = timedelta(weeks=2)
# Circles and partnerships just made get their conversations in Slack a little later, without telling the
# planner: while any made in the last day still waits for one, the cohort is looked at every few minutes.
AWAITING_FOR = timedelta(days=1)
AWAITING_RECHECK = timedelta(minutes=5)


@dataclass(frozen=True)
class PlanSummary:
    """What one planning pass wrote."""

    cohorts: int = 0
    planned: dict[str, int] = field(default_factory=dict)  # new rows to send, by template
    missed: dict[str, int] = field(default_factory=dict)  # occurrences recorded as missed, by template
    checkins: int = 0  # new check-in rows
    surveys: int = 0  # new survey requests, each with its invitation and reminder
    broken_tracks: tuple[str, ...] = ()  # tracks that would not load: their prompts were left out
    skipped_cohorts: tuple[int, ...] = ()  # cohorts whose planning failed: left out, the rest planned

    def describe(self) -> str:
        """One line for a person: what was planned, what was missed."""
        planned = ", ".join(f"{n} {t}" for t, n in sorted(self.planned.items())) or "nothing new"
        text = f"planned {planned} for {self.cohorts} cohort(s)"
        if self.surveys:
            text += f"; {self.surveys} survey(s) asked"
        if self.missed:
            text += "; missed " + ", ".join(f"{n} {t}" for t, n in sorted(self.missed.items()))
        if self.skipped_cohorts:
            text += f"; {len(self.skipped_cohorts)} cohort(s) skipped: they could not be planned"
        if self.broken_tracks:
            text += "; prompt tracks that would not load: " + ", ".join(self.broken_tracks)
        return text


def plan(
    session: Session,
    now: datetime,
    *,
    grace: timedelta,
    horizon: timedelta = DEFAULT_HORIZON,
    look_back: timedelta = DEFAULT_LOOK_BACK,
) -> PlanSummary:
    """Write every prompt, check-in, session idea and catch-up due from `now - grace` to `now + horizon`.

    Only cohorts whose next message falls by `now + horizon` are read (or that changed since), each from
    where its last window ended, and each is given the instant of its next message. Occurrences older
    than the grace window (back to `look_back`) that never got a row are recorded as missed: after
    downtime nothing goes out hours late.
    """
    window = Window.around(now, grace=grace, horizon=horizon, look_back=look_back)
    due = due_cohorts(session, window)
    live = [cohort for cohort, can_have_messages in due if can_have_messages]
    written_until = {cohort.id: cohort.planned_until for cohort in live}
    # Planned from scratch after a change that moved its occurrences: when (see `replan`).
    changed_at = {cohort.id: cohort.replanned_at for cohort in live if cohort.planned_until is None}
    cohorts, broken = load_cohorts(session, live, window)
    already = written_before(session, cohorts, written_until, window)  # of those planned from scratch only
    next_due = {c.id: (resting_due(c, window), c.planned_until) for c, can_have in due if not can_have}
    planned: list[Planned] = []
    skipped: list[int] = []
    for cohort in cohorts:
        before = written_until[cohort.cohort_id]
        try:
            had = already.get(cohort.cohort_id, [])  # a week that had its message on another day gets none
            scope = window.beyond(before).since_change(changed_at.get(cohort.cohort_id), now)
            rows = once_a_cycle(plan_cohort(cohort, scope), had, cohort.cadence)
            # A return is looked for over the whole window, not only beyond what was written: someone who
            # says they are back ends their block at that moment, often inside a window already planned.
            rows += catch_ups(cohort, window)
            due_at, awaiting = _next_due(cohort, window), _awaiting_conversation(cohort, now - AWAITING_FOR)
            moved = moved_ahead(had, cohort.cadence, window.until)
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # One cohort's odd row (a date past what a schedule reaches, a value an old version let in)
            # must not stop every other cohort's prompts and check-ins. Ids only: never names or texts.
            logger.warning(
                "planning skipped cohort %s of workspace %s: %s",
                cohort.cohort_id,
                cohort.workspace_id,
                type(error).__name__,
            )
            skipped.append(cohort.cohort_id)
            next_due[cohort.cohort_id] = (recheck_at(cohort.cohort_id, window.until), before)
            continue
        planned += rows
        if awaiting:  # looked at again soon, over the same window: its prompts may find their conversation
            next_due[cohort.cohort_id] = (min(due_at, window.until + AWAITING_RECHECK), before)
        elif moved:  # a week whose message went on the old day is still to come: checked again then
            next_due[cohort.cohort_id] = (due_at, before)
        else:
            next_due[cohort.cohort_id] = (due_at, max(window.until, before or window.until))
    written, checkins = write(session, planned, now)
    planned_cohorts = {c.cohort_id for c in cohorts} - set(skipped)
    surveys, upcoming = plan_surveys(session, [c for c in live if c.id in planned_cohorts], window.until, now)
    for cohort_id, at in upcoming.items():  # the next phase instant wakes the cohort too
        due_at, until = next_due[cohort_id]
        next_due[cohort_id] = (min(due_at, at), until)
    store_plan_due(session, next_due)
    summary = PlanSummary(
        cohorts=len(cohorts),
        planned=dict(Counter(p.template for p in written if p.timing is not Timing.MISSED)),
        missed=dict(Counter(p.template for p in written if p.timing is Timing.MISSED)),
        checkins=checkins,
        surveys=surveys,
        broken_tracks=tuple(broken),
        skipped_cohorts=tuple(skipped),
    )
    logger.info("planning at %s: %s", now.isoformat(), summary.describe())
    return summary


def _next_due(cohort: CohortIn, window: Window) -> datetime:
    """The next message's instant, looked at again within a day at the latest."""
    upcoming = next_plan_at(cohort, window.until)
    recheck = recheck_at(cohort.cohort_id, window.until)
    return recheck if upcoming is None else min(upcoming, recheck)


def _awaiting_conversation(cohort: CohortIn, since: datetime) -> bool:
    if cohort.awaiting_since is not None and cohort.awaiting_since >= since:
        return True
    return any(pair.conversation_id is None and pair.started_at >= since for pair in cohort.pairs)


def hold_expiring(session: Session, now: datetime, grace: timedelta) -> None:
    """Hold the pairs of the check-in questions `expire_overdue` will mark missed, until the caller commits.

    As an answer holds its pair: an answer under way is kept, and one sent after finds its check-in gone.
    Before anything else the transaction locks: a pause or an ending holds its cohort, its pair, then its
    starters, so a pass holding messages before pairs could deadlock with it; the cohorts the pass locks
    after these pairs it takes SKIP LOCKED, so a pause waiting for one of the pairs is never waited for.
    """
    hold_pairs(session, overdue_question_pairs(session, now - grace))


def expire_overdue(session: Session, now: datetime, grace: timedelta, *, held: bool = False) -> int:
    """Mark planned messages still pending past the grace window as missed; returns how many.

    Only the planner's timed messages expire (a prompt, a check-in, a coach's daily digest, whose next day
    brings a fresh one): one-off notices, such as a facilitator's alert, are still worth delivering late. A
    check-in that was never sent loses its unanswered CheckIn row, so it cannot count as a missed answer.
    `held`: the caller took `hold_expiring` at the start of its transaction.
    """
    if not held:
        hold_expiring(session, now, grace)
    expired = expire_pending(session, now - grace, EXPIRING)  # the keys every claim leaves out when late
    checkin_ids = [
        payload["args"]["checkin_id"]
        for payload in expired
        if payload.get("template") == "checkin" and isinstance(payload.get("args", {}).get("checkin_id"), int)
    ]
    delete_unsent_checkins(session, checkin_ids)
    return len(expired)
