"""Whether Slack refused one of a round's circles' conversations for a reason that holds for all of them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.match_vocabulary import StepKind, StepStatus
from circles.persistence.models import CreationStep


def conversation_refused(session: Session, run_id: int, errors: Collection[str]) -> str | None:
    """The error one of the run's circle conversation steps gave up with, if it is one of `errors`."""
    if not errors:
        return None
    return session.scalars(
        select(CreationStep.last_error)
        .where(
            CreationStep.run_id == run_id,
            CreationStep.kind == StepKind.CIRCLE_CONVERSATION,
            CreationStep.status == StepStatus.FAILED,
            CreationStep.last_error.in_(sorted(errors)),
        )
        .limit(1)
    ).first()
