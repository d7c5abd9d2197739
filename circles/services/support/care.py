"""Care for what people type: the private answer to a message typed to the app."""

from __future__ import annotations

from datetime import datetime

from circles.domain.care import direct_answer_key, wellbeing_resources
from circles.messages import CohortCare, DirectAnswer
from circles.persistence.db import UnitOfWork
from circles.queries.members import current_memberships
from circles.services.intake.workspaces import find_workspace, workspace_for_request
from circles.services.outbox.enqueue import Outgoing, enqueue

DIRECT_ANSWER_TEMPLATE = DirectAnswer.TEMPLATE


def answer_typed_message(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> bool:
    """Record the private answer to a message typed to the app; False when one went this minute already,
    or when the app was removed from the workspace (Slack may deliver a message typed just before, late).

    The answer says the app does not read messages, how to reach the person's facilitators, and where
    to turn when it cannot wait. What they typed is never passed here: there is nothing of it to keep.
    """
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        if workspace is not None and workspace.uninstalled_at is not None:
            return False  # only installing the app again brings it back, and what waits for it
        # People can write before any cohort exists.
        workspace = workspace or workspace_for_request(session, team_id, now)
        cohorts = tuple(
            CohortCare(cohort.slug, cohort.name, wellbeing_resources(cohort.wellbeing_resources))
            for _, cohort in current_memberships(session, workspace.id, user_id)
        )
        answer = Outgoing(
            direct_answer_key(user_id, now), user_id, DirectAnswer(cohorts, wellbeing_resources(None))
        )
        recorded = enqueue(session, workspace.id, answer, due_at=now, now=now)
        uow.commit()
        return recorded
