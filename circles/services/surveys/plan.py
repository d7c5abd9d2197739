"""Plan the survey requests of the cohorts a planning pass looks at, in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.planning import zone_for
from circles.domain.surveys import SurveyCalendar, due_surveys, next_due, reminder_at
from circles.domain.vocabulary import OutboxStatus, SurveyPhase
from circles.messages import SurveyInvite, SurveyReminder, stored
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.outbox.rows import NewMessage, add_new
from circles.queries.surveys import NewRequest, add_requests, askable_members
from circles.services.surveys.moved import follow_moves
from instruments.catalog import known


def calendar_of(cohort: Cohort) -> SurveyCalendar:
    zone = zone_for(None, cohort.timezone)  # an odd stored zone reads as UTC rather than stopping the pass
    return SurveyCalendar(cohort.starts_on, cohort.ends_on, zone, cohort.prompt_local_time)


def plan_of(cohort: Cohort) -> dict[str, list[str]]:
    """The cohort's plan, keeping only instruments the installation knows (one removed since is left out)."""
    offered = known()
    plan = cohort.survey_plan if isinstance(cohort.survey_plan, dict) else {}
    return {
        phase.value: [n for n in names if n in offered]
        for phase in SurveyPhase
        if isinstance(names := plan.get(phase.value), list)
    }


def plan_surveys(
    session: Session, cohorts: Sequence[Cohort], until: datetime, now: datetime
) -> tuple[int, dict[int, datetime]]:
    """Requests due by `until` for these cohorts' active members, each once, with its invitation and
    reminder in the outbox; returns how many are new, and each cohort's next phase instant after `until`.
    A phase whose day the cohort's dates moved months after its request went is asked again then.

    No statement at all when no cohort has a plan; otherwise the same few whatever the number of members,
    and one more for each kind of change to requests already there (re-timed, withdrawn, superseded).
    """
    plans = {c.id: (c, plan_of(c)) for c in cohorts}
    plans = {cid: (c, plan) for cid, (c, plan) in plans.items() if any(plan.values())}
    if not plans:
        return 0, {}
    calendars = {cid: calendar_of(c) for cid, (c, _) in plans.items()}
    wanted, users = [], {}
    for member in askable_members(session, plans, now):
        users[member.member_id] = member.user_id
        cohort, plan = plans[member.cohort_id]
        for due in due_surveys(plan, calendars[cohort.id], member.joined_at, until):
            version = known()[due.instrument].version
            wanted.append(
                NewRequest(
                    member.workspace_id,
                    cohort.id,
                    member.member_id,
                    due.instrument,
                    version,
                    due.phase,
                    due.due_at,
                )
            )
    # Their dates may have moved since: requests already there follow them before new ones are added.
    added = add_requests(session, wanted, follow_moves(session, calendars, wanted, now))
    messages = []
    for request_id, request in added:
        cohort = plans[request.cohort_id][0]
        invite = SurveyInvite(request_id, request.instrument, request.phase, cohort.name)
        reminder = SurveyReminder(request_id, request.instrument, request.phase, cohort.name)
        for payload, at in ((invite, request.due_at), (reminder, reminder_at(request.due_at))):
            messages.append(
                NewMessage(
                    request.workspace_id,
                    f"{payload.TEMPLATE}:{request_id}",
                    "chat.postMessage",
                    users[request.member_id],
                    stored(payload),
                    max(at, now),
                    OutboxStatus.PENDING,
                )
            )
    add_new(session, messages, now)
    upcoming = {cid: next_due(plan, calendar_of(c), until) for cid, (c, plan) in plans.items()}
    return len(added), {cid: at for cid, at in upcoming.items() if at is not None}
