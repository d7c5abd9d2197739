"""What a support request that could not be delivered needs: the member who asked, in which cohort."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Cohort, Member


def asker(
    session: Session, workspace_id: int, user_id: str, cohort_name: str
) -> tuple[Member, Cohort] | None:
    """The membership a request came from (by its person and its cohort's name), locked for the caller:
    two copies of one request failing at once are looked at one after the other. None when there is none
    (the person left that cohort since, or was never in it), or when the person is in two cohorts of that
    name: which one's facilitators may read it is unknown."""
    rows = session.execute(
        select(Member, Cohort)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
            Member.status != MemberStatus.LEFT,  # one who left is waiting for no answer
            Cohort.name == cohort_name,
        )
        .order_by(Member.id)
        .limit(2)
        .with_for_update(of=Member, key_share=True)
    ).all()
    return (rows[0][0], rows[0][1]) if len(rows) == 1 else None
