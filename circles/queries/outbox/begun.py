"""Whether a cohort's rhythm has begun: a prompt to one of its circles, or a check-in to one of its pairs,
went or is on its way (circles.domain.cohort_rules.start). Pair prompts and session ideas come on check-in
days, so a check-in stands for them.

One statement: each circle and pair of the cohort, past ones too, reads its own keys as a range of the unique
(workspace, key) index (`keys.py`), and the first row found answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, String, and_, cast, literal, select, union_all
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import Circle, OutboxMessage, Partnership

# A key's target ends at a colon: every key under `kind:{id}:` lies below `kind:{id};` (";" follows ":").
AFTER_TARGET, PAST_TARGET = ":", ";"
NEVER_SENT = (OutboxStatus.MISSED, OutboxStatus.SUPERSEDED)  # recorded, but nobody was sent it


def rhythm_begun(session: Session, cohort_id: int) -> bool:
    """Whether a circle prompt or a check-in of the cohort was sent, or waits to be."""
    parts = [_sent_under("circle_prompt", Circle, cohort_id), _sent_under("checkin", Partnership, cohort_id)]
    return session.execute(union_all(*parts).limit(1)).first() is not None


def _sent_under(kind: str, target: type[Circle] | type[Partnership], cohort_id: int) -> Select[Any]:
    """The rows under `kind:{id}:` of each of the cohort's circles or pairs that were sent or wait to be."""
    prefix = literal(f"{kind}:") + cast(target.id, String)
    key = OutboxMessage.idempotency_key
    return (
        select(literal(1))
        .select_from(target)
        .join(
            OutboxMessage,
            and_(
                OutboxMessage.workspace_id == target.workspace_id,
                key >= prefix + AFTER_TARGET,
                key < prefix + PAST_TARGET,
            ),
        )
        .where(target.cohort_id == cohort_id, OutboxMessage.status.not_in(NEVER_SENT))
    )
