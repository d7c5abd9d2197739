"""The one way a partnership ends: its status, reason and time, its alert to facilitators resolved, and
its conversation starters already planned dropped.

Every route (a partner's form, a facilitator, leaving the cohort, the cohort's end date) ends pairs here,
in its own transaction, so an escalation never stays unresolved for a pair that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.db import Session
from circles.persistence.models import Partnership
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.rows import planned_pair_prompts
from circles.queries.partnerships import complete_past_end_date
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
