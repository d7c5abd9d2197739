"""Care for what people type: the hint their forms show, and the answer to a message typed to the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from circles.domain.care import DEFAULT_FREE_TEXT_HINT, direct_answer_key, free_text_hint, wellbeing_resources
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort, Member, Partnership
from circles.services.outbox import Outgoing, enqueue
from circles.services.profiles import current_memberships
from circles.services.workspaces import ensure_workspace, find_workspace

DIRECT_ANSWER_TEMPLATE = "direct_answer"


def hint_for_partnership(uow: UnitOfWork, team_id: str, user_id: str, partnership_id: int) -> str:
    """The hint of the partnership's cohort for a form one of its partners fills in; the default otherwise."""
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        if workspace is None:
            return DEFAULT_FREE_TEXT_HINT
        found = session.scalars(
            select(Cohort.free_text_hint)
            .join(Partnership, Partnership.cohort_id == Cohort.id)
            .join(
                Member,
                or_(Member.id == Partnership.first_member_id, Member.id == Partnership.second_member_id),
            )
            .where(
                Partnership.id == partnership_id,
                Partnership.workspace_id == workspace.id,
                Member.slack_user_id == user_id,
            )
        ).first()
        return free_text_hint(found)


def answer_typed_message(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> bool:
    """Record the private answer to a message typed to the app; False when one went this minute already.

    The answer says the app does not read messages, how to reach the person's facilitators, and where
    to turn when it cannot wait. What they typed is never passed here: there is nothing of it to keep.
    """
    with uow:
        session = uow.session
        workspace = ensure_workspace(session, team_id, now)  # people can write before any cohort exists
        cohorts = [
            {
                "slug": cohort.slug,
                "name": cohort.name,
                "resources": wellbeing_resources(cohort.wellbeing_resources),
            }
            for _, cohort in current_memberships(session, workspace.id, user_id)
        ]
        answer = Outgoing(
            direct_answer_key(user_id, now),
            user_id,
            DIRECT_ANSWER_TEMPLATE,
            {"cohorts": cohorts, "resources": wellbeing_resources(None)},
        )
        recorded = enqueue(session, workspace.id, answer, due_at=now, now=now)
        uow.commit()
        return recorded
