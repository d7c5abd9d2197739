"""The one way a partnership ends: its status, reason and time, its alert to facilitators resolved, and
its conversation starters already planned dropped.

Every route (a partner's form, a facilitator, leaving the cohort, the cohort's end date) ends pairs here,
in its own transaction, so an escalation never stays unresolved for a pair that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from circles.domain.schedule import over_everywhere
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Partnership
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.rows import planned_pair_prompts
from circles.queries.partnerships import complete_past_end_date
from circles.queries.partnerships.endings import reopen_completed
from circles.services.escalations.ended import resolve_ended


def end_partnerships(
    session: Session, pairs: Iterable[Partnership], reason: EndReason, now: datetime
) -> None:
    """End these partnerships for this reason now, and resolve their unresolved escalations as ended; the
    conversation starters already planned for them are not sent."""
    ended = []
    for pair in pairs:
        pair.status, pair.end_reason, pair.ended_at = PartnershipStatus.ENDED, reason, now
        ended.append(pair.id)
    resolve_ended(session, ended, now)
    supersede(session, planned_pair_prompts(session, ended))


def complete_finished_cohorts(session: Session, now: datetime) -> int:
    """Partnerships still running when their cohort's end date has passed end as completed; how many. As
    for any ending, their conversation starters still waiting to go are not sent."""
    completed = complete_past_end_date(session, now)
    resolve_ended(session, completed, now)
    supersede(session, planned_pair_prompts(session, completed))
    return len(completed)


def carry_on_if_extended(session: Session, cohort: Cohort, old_end: date | None, now: datetime) -> int:
    """The cohort's end moved later (or went) after its pairs were completed at the old one: they run again,
    but for those a partner left, and one a partner had paused stays paused; how many. Pairs ended any
    other way stay ended."""
    later = old_end is not None and (cohort.ends_on is None or cohort.ends_on > old_end)
    if not later or (cohort.ends_on is not None and over_everywhere(cohort.ends_on, now)):
        return 0
    return len(reopen_completed(session, cohort.id, now))
