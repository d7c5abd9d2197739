"""What a partner is told when their partnership changes: that it changed, and, when they have others in
the cohort, how many are unchanged. Never who asked, never why, never which partner."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from circles.messages import PartnershipChanged
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Partnership
from circles.queries.partnerships import running_partnerships


def partner_notices(
    session: Session, cohort: Cohort, pair: Partnership, member_ids: Collection[int]
) -> dict[int, PartnershipChanged]:
    """Each of these members' notice of the pair's change (after it), in one query."""
    others = Counter(
        running.member_id
        for running in running_partnerships(session, member_ids)
        if running.pair.id != pair.id
    )
    return {
        member_id: PartnershipChanged(cohort.name, pair.status, others[member_id]) for member_id in member_ids
    }
