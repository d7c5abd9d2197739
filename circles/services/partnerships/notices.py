"""What a partner is told when their partnership changes: that it changed, and, when they have others in
the cohort, how many are unchanged. Never who asked, never why, never which partner."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping

from circles.messages import PartnershipChanged
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Partnership
from circles.queries.partnerships import running_partnerships


def partner_notices(
    session: Session, cohort: Cohort, pair: Partnership, member_ids: Collection[int]
) -> dict[int, PartnershipChanged]:
    """Each of these members' notice of the pair's change (after it), in one query."""
    return changed_notices(session, cohort, dict.fromkeys(member_ids, pair))


def changed_notices(
    session: Session, cohort: Cohort, changed: Mapping[int, Partnership]
) -> dict[int, PartnershipChanged]:
    """Each member's notice of their own changed pair (member id → pair, after the change), in one query:
    several pairs changed at once (someone leaving the cohort) are none of them counted as continuing."""
    changed_ids = {pair.id for pair in changed.values()}
    others = Counter(
        running.member_id
        for running in running_partnerships(session, changed.keys())
        if running.pair.id not in changed_ids
    )
    return {
        member_id: PartnershipChanged(cohort.name, pair.status, others[member_id])
        for member_id, pair in changed.items()
    }
