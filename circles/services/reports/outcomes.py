"""How partnerships fared: their health week by week, escalations, and how they ended (pure)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from circles.domain.vocabulary import EndReason, PartnershipHealthState, PartnershipStatus
from circles.queries.reports.facts import EscalationFact, HealthFact, PartnershipFact
from circles.services.reports.figures import Endings, EscalationFigures, EscalationWeek, StatesWeek
from circles.services.reports.people import per_week
from circles.services.reports.weeks import Calendar

NOT_ASSESSED = "not_assessed"


def states_by_week(
    calendar: Calendar, partnerships: Iterable[PartnershipFact], health: Iterable[HealthFact], now: datetime
) -> tuple[StatesWeek, ...]:
    """For each week's end (now for this week): the partnerships running then, by their latest state."""
    history: dict[int, list[HealthFact]] = defaultdict(list)
    for record in sorted(health, key=lambda record: record.computed_at):
        if record.computed_at <= now:
            history[record.partnership_id].append(record)
    tallies = [Counter[str]() for _ in calendar.weeks]
    for pair in partnerships:
        records = history.get(pair.id, [])
        moments = [record.computed_at for record in records]
        for index, week in enumerate(calendar.weeks):
            if not running_at(pair, week.ends, now):
                continue
            latest = bisect_left(moments, week.ends) - 1  # the last change strictly before the week ended
            tallies[index][records[latest].state.value if latest >= 0 else NOT_ASSESSED] += 1
    return tuple(
        StatesWeek(
            week.start,
            thriving=tally[PartnershipHealthState.THRIVING.value],
            steady=tally[PartnershipHealthState.STEADY.value],
            needs_attention=tally[PartnershipHealthState.NEEDS_ATTENTION.value],
            struggling=tally[PartnershipHealthState.STRUGGLING.value],
            not_assessed=tally[NOT_ASSESSED],
        )
        for week, tally in zip(calendar.weeks, tallies, strict=True)
    )


def running_at(pair: PartnershipFact, ends: datetime, now: datetime) -> bool:
    """Running at the end of a week that ends at `ends`: just before it, or now for the week in progress."""
    if ends <= now:
        return pair.started_at < ends and (pair.ended_at is None or pair.ended_at >= ends)
    return pair.started_at <= now and (pair.ended_at is None or pair.ended_at > now)


def escalation_figures(
    calendar: Calendar, escalations: Sequence[EscalationFact], now: datetime
) -> EscalationFigures:
    """Escalations opened, claimed and resolved, overall and by week, and how soon someone responded."""
    seen = [escalation for escalation in escalations if escalation.opened_at <= now]
    claimed = [e for e in seen if e.claimed_at is not None and e.claimed_at <= now]
    resolved = [e for e in seen if e.resolved_at is not None and e.resolved_at <= now]
    waits = sorted(e.claimed_at - e.opened_at for e in claimed if e.claimed_at is not None)
    opened_weeks = per_week(calendar, (e.opened_at for e in seen), now)
    claimed_weeks = per_week(calendar, (e.claimed_at for e in claimed), now)
    resolved_weeks = per_week(calendar, (e.resolved_at for e in resolved), now)
    return EscalationFigures(
        opened=len(seen),
        claimed=len(claimed),
        resolved=len(resolved),
        still_open=len(seen) - len(resolved),
        median_first_response=median(waits),
        mean_first_response=sum(waits, timedelta()) / len(waits) if waits else None,
        weeks=tuple(
            EscalationWeek(week.start, opened_weeks[i], claimed_weeks[i], resolved_weeks[i])
            for i, week in enumerate(calendar.weeks)
        ),
    )


def median(ordered: Sequence[timedelta]) -> timedelta | None:
    """The middle of sorted durations; the mean of the middle two when their number is even."""
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def endings(partnerships: Iterable[PartnershipFact]) -> Endings:
    """Every partnership once: still running, paused, completed, or ended early and why."""
    counts = Counter(
        pair.status.value if pair.status is not PartnershipStatus.ENDED else (pair.end_reason or "unrecorded")
        for pair in partnerships
    )
    return Endings(
        active=counts[PartnershipStatus.ACTIVE.value],
        paused=counts[PartnershipStatus.PAUSED.value],
        completed=counts[EndReason.COMPLETED.value],
        no_fault=counts[EndReason.NO_FAULT.value],
        member_left=counts[EndReason.MEMBER_LEFT.value],
        rematched=counts[EndReason.REMATCHED.value],
        facilitator=counts[EndReason.FACILITATOR.value],
        unrecorded=counts["unrecorded"],
    )
