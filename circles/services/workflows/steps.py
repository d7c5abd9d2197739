"""The steps a workflow can run: send someone their check-in, tell a cohort's facilitators something."""

from __future__ import annotations

from datetime import datetime

from circles.errors import NoFacilitators
from circles.messages import CheckinQuestion, WorkflowNote
from circles.persistence.db import UnitOfWork
from circles.queries.cohorts import facilitator_ids
from circles.services.checkins.opening import open_checkins
from circles.services.cohorts.lookup import require_cohort
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many


def ask_for_checkin(uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, key: str) -> int:
    """Send the person the check-in of each running partnership, as `/circles checkin` opens it; how many.

    `key` names the workflow's run, so a run taken in twice records each check-in once.
    """
    with uow:
        found = open_checkins(uow.session, team_id, user_id, now)
        questions = [
            Outgoing(
                f"step:{key}:checkin:{checkin.checkin_id}",
                user_id,
                CheckinQuestion(checkin.checkin_id, checkin.cohort_name, checkin.partner_user_id),
            )
            for checkin in found
        ]
        workspace = find_workspace(uow.session, team_id)
        assert workspace is not None  # open_checkins found the person's partnerships in it
        enqueue_many(uow.session, workspace.id, questions, due_at=now, now=now)
        uow.commit()
        return len(questions)


def cohort_facilitators(uow: UnitOfWork, team_id: str, slug: str) -> list[str]:
    """Who facilitates a live cohort, so the caller can ask Slack which of them are still there."""
    with uow:
        return facilitator_ids(uow.session, require_cohort(uow.session, team_id, slug).id)


def message_facilitators(
    uow: UnitOfWork,
    team_id: str,
    slug: str,
    text: str,
    now: datetime,
    *,
    key: str,
    gone: frozenset[str] = frozenset(),
) -> int:
    """A private message with the workflow's words to each facilitator of a live cohort; how many.

    `gone` are facilitators Slack shows deactivated: a message to them is taken and never read, so they
    are neither sent it nor counted, and a cohort with nobody else has no facilitator to tell."""
    with uow:
        cohort = require_cohort(uow.session, team_id, slug)
        facilitators = [user for user in facilitator_ids(uow.session, cohort.id) if user not in gone]
        if not facilitators:
            raise NoFacilitators(cohort.name)
        note = WorkflowNote(cohort.name, text)
        enqueue_many(
            uow.session,
            cohort.workspace_id,
            [Outgoing(f"step:{key}:facilitator:{user}", user, note) for user in facilitators],
            due_at=now,
            now=now,
        )
        uow.commit()
        return len(facilitators)
