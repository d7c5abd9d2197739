"""An alert no facilitator could receive: its follow-up comes at once rather than days later.

When the sender records that an alert's DM failed because its person cannot be reached (gone from the
workspace, deactivated), or that it was given up after Slack kept failing or its senders kept dying, the
escalation's follow-up is brought to now. The next follow-up pass looks at the copies of the alert: when
no facilitator of the cohort has one that reached them or may still, it sends it to the facilitators who
were not tried yet and to the admins, as the follow-up does, at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.escalations import follow_up_now, follow_ups_now
from circles.queries.outbox.copies import copies_under, latest_by_person
from circles.services.escalations.cards import copy_prefix


def alert_unreachable(session: Session, escalation_id: int, now: datetime) -> bool:
    """A copy of the alert could not reach its person: look at its follow-up now. In the caller's
    transaction; True when the follow-up was brought forward."""
    return follow_up_now(session, escalation_id, now)


def alerts_unreachable(session: Session, escalations: Sequence[tuple[int, int]], now: datetime) -> None:
    """alert_unreachable for many (workspace id, escalation id) at once, in one statement (a claim that
    gave up their copies)."""
    follow_ups_now(session, escalations, now)


def unreached(
    session: Session, escalations: Collection[Escalation], facilitators: Mapping[int, Collection[str]]
) -> dict[int, set[str]]:
    """Of these escalations, those no facilitator of their cohort has a live copy of while someone's
    copy failed, with the people whose latest copy failed; one statement for all of them."""
    if not escalations:
        return {}
    prefixes = {(e.workspace_id, copy_prefix(e.id)) for e in escalations}
    latest = latest_by_person(copies_under(session, prefixes))
    found: dict[int, set[str]] = {}
    for escalation in escalations:
        copies = latest.get(copy_prefix(escalation.id), {})
        cohort_facilitators = set(facilitators.get(escalation.cohort_id, ()))
        if any(copy.alive for person, copy in copies.items() if person in cohort_facilitators):
            continue
        failed = {person for person, copy in copies.items() if not copy.alive}
        if failed & cohort_facilitators:  # none failed: nothing was lost, the follow-up keeps its time
            found[escalation.id] = failed
    return found
