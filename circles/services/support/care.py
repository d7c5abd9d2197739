"""Care for what people type: the private answer to a message typed to the app."""

from __future__ import annotations

from datetime import datetime

from circles.domain.care import ANSWER_KEPT, direct_answer_key, wellbeing_resources
from circles.messages import CohortCare, CohortRun, DirectAnswer
from circles.persistence.db import Session, UnitOfWork
from circles.queries.cohorts import count_facilitated, facilitated_cohorts
from circles.queries.members import current_memberships
from circles.queries.outbox import answered
from circles.services.escalations.sending import Admins
from circles.services.intake.workspaces import find_workspace, workspace_for_request
from circles.services.outbox.enqueue import Outgoing, enqueue
from circles.services.support.hearing import Hearers

DIRECT_ANSWER_TEMPLATE = DirectAnswer.TEMPLATE
RUNS_NAMED = 5  # the cohorts a facilitator is reminded of by name; the rest are counted


def answer_typed_message(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, admins: Admins = ()
) -> bool:
    """Record the private answer to a message typed to the app; False when one went this minute already,
    or when the app was removed from the workspace (Slack may deliver a message typed just before, late).

    The answer says the app does not read messages, how to reach the person's facilitators (or that their
    cohort has nobody to hear them yet), which cohorts they run themselves, and where to turn when it
    cannot wait. What they typed is never passed here: there is nothing of it to keep.
    """
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        if workspace is not None and workspace.uninstalled_at is not None:
            return False  # only installing the app again brings it back, and what waits for it
        # People can write before any cohort exists.
        workspace = workspace or workspace_for_request(session, team_id, now)
        cohorts = _cared_for(session, workspace.id, user_id, admins, now)
        runs = facilitated_cohorts(session, workspace.id, user_id, limit=RUNS_NAMED)
        more = count_facilitated(session, workspace.id, user_id) - len(runs) if len(runs) == RUNS_NAMED else 0
        answer = DirectAnswer(
            cohorts, wellbeing_resources(None), tuple(CohortRun(c.slug, c.name) for c in runs), more
        )
        outgoing = Outgoing(direct_answer_key(user_id, now), user_id, answer)
        recorded = enqueue(session, workspace.id, outgoing, due_at=now, now=now)
        uow.commit()
        return recorded


def forget_answers(uow: UnitOfWork, now: datetime) -> int:
    """Forget, in every workspace, the answers to typed messages whose minute is long over (`ANSWER_KEPT`)
    and that are done with; returns how many went. Their keys held off a second answer in their minute only,
    and they tell when someone wrote: someone in no cohort has nothing to leave, so nothing to erase them by.
    An answer still waiting to be sent stays until it is."""
    with uow:
        gone = answered.forget_answers(uow.session, now - ANSWER_KEPT)
        uow.commit()
        return gone


def _cared_for(
    session: Session, workspace_id: int, user_id: str, admins: Admins, now: datetime
) -> tuple[CohortCare, ...]:
    """The person's cohorts, each with its words of care and who would hear them there: as a request for
    support would be heard now (`Hearers.in_cohorts`, the rule sending it follows)."""
    memberships = current_memberships(session, workspace_id, user_id)
    if not memberships:
        return ()
    cohorts = [cohort for _, cohort in memberships]
    told = Hearers.of(session, workspace_id, user_id, admins).in_cohorts(session, cohorts, now)
    return tuple(
        CohortCare(
            cohort.slug,
            cohort.name,
            wellbeing_resources(cohort.wellbeing_resources),
            unheard=not sent.told,
            to_admins=bool(sent.admins),
            kept=sent.facilitated and not sent.facilitators,
        )
        for cohort, sent in zip(cohorts, told, strict=True)
    )
