"""Say that something changed, so that the next tick works out again what is due.

Planning reads only cohorts whose stored due time has come, and digests only people whose due time has
come: every change to what a cohort would plan (its settings, its rounds, circles and partnerships, its
members' presence and time zones) or to what a person's digest would hold sets those due times back to
None, "at once", in the caller's transaction. Each call is one statement, whatever it covers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from circles.persistence.db import Session
from circles.queries import cohorts, guides
from circles.services.health.due import look_at_person
from circles.services.outbox.held import reconsider_held


def replan(
    session: Session, cohort_ids: Iterable[int], *, digests: bool = False, moved_at: datetime | None = None
) -> None:
    """Plan these cohorts at the next tick; with `digests`, also work out their members' digests again
    (the cohort's prompt time, time zone, dates or thresholds changed). `moved_at`: the change may have
    moved their occurrences (a time zone, a prompt day): a cycle's messages it put in the past before they
    had gone are sent at once, not recorded as missed."""
    ids = sorted(set(cohort_ids))
    if not ids:
        return
    cohorts.plan_at_once(session, ids, moved_at)
    if digests:
        guides.digests_at_once(session, cohort_ids=ids)


def replan_person(
    session: Session, workspace_id: int, user_id: str, *, moved_at: datetime | None = None
) -> None:
    """Someone's presence or time zone changed: plan every cohort of theirs and their digest again
    (`moved_at`: their time zone, as in `replan`)."""
    replan_people(session, workspace_id, [user_id], moved_at=moved_at)


def replan_people(
    session: Session, workspace_id: int, user_ids: Collection[str], *, moved_at: datetime | None = None
) -> None:
    """Several people's time zones changed (an import): as replan_person for each, in three statements
    (their memberships are locked first, as a leave takes them)."""
    if not user_ids:
        return
    cohorts.plan_people_cohorts_at_once(session, workspace_id, user_ids, moved_at)
    guides.digests_at_once(session, workspace_id=workspace_id, user_ids=user_ids)


def away_changed(session: Session, workspace_id: int, user_id: str, now: datetime) -> None:
    """Someone's away blocks changed (away, back): plan their cohorts again, so that their pairs are held or
    their catch-up comes, look at their pairs' health, which waits for a return, and have what is held for
    them looked at again (back early, it goes now, never at the return first said)."""
    replan_person(session, workspace_id, user_id)
    look_at_person(session, workspace_id, user_id, now)
    reconsider_held(session, workspace_id, [user_id], now)


def redigest_person(session: Session, workspace_id: int, user_id: str) -> None:
    """Something for this person's digest changed (their days, a request for them): work it out again."""
    guides.digests_at_once(session, workspace_id=workspace_id, user_ids=[user_id])


def replan_workspace(session: Session, workspace_id: int) -> None:
    """The workspace is installed again: every cohort of it may have messages again."""
    cohorts.plan_workspace_at_once(session, workspace_id)
    guides.digests_at_once(session, workspace_id=workspace_id)
