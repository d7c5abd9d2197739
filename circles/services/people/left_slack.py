"""Someone whose Slack account was deactivated or deleted has left: they leave each cohort they were in.

Nobody can answer for them any more (every message to them fails, they can neither check in nor end a
partnership), so each cohort is left as if they had left it themselves (`membership.leave`): their
partnerships end without fault, each partner hears only that theirs ended (their status says their
facilitators can offer them someone new), and alerts of those pairs are resolved as ended. An alert they
claimed as a facilitator is open again before the others (escalations.released). Slack still takes
messages to such an account, so it is kept that they left (`gone_accounts`), unless their data was erased
and they facilitate nowhere: as a facilitator they are sent nothing that must be read, and whoever is told
instead hears (`reachable_facilitators`). Nothing is erased: an account Slack brings back finds its
profile, can join again, and is a facilitator as before.
"""

from __future__ import annotations

from datetime import datetime

from circles.errors import CohortNotFound, NotAMember
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.retry import once_through_deadlocks
from circles.queries.gone_accounts import mark_back, mark_gone
from circles.queries.members import current_memberships, hold_memberships
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.released import release_gone
from circles.services.escalations.sending import Admins
from circles.services.intake.workspaces import find_workspace
from circles.services.people.membership import Left, leave


def left_slack(
    database: Database,
    team_id: str,
    user_id: str,
    now: datetime,
    *,
    decrypt: Decrypt | None = None,
    admins: Admins = (),
) -> list[Left]:
    """Leave each running cohort the person is still in, one transaction each; what was left now. An alert
    they claimed, or a circle they left short, goes to the `admins` when no other facilitator of its cohort
    may hear of it.

    Slack sends several `user_change` events for one deactivation, perhaps to two replicas at once: a
    cohort already left (by another of them, or by the person) is passed over, and each pair ends once.
    Two replicas leaving two cohorts of one person take turns (each leave holds the person's memberships
    and cohorts first); a leave PostgreSQL still ends as a deadlock's victim is done again, finding less
    to do.
    """
    with database.unit_of_work() as uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        # Held as an erasure holds them: one at this moment goes first, and nothing is kept of them after it.
        hold_memberships(uow.session, workspace.id, user_id)
        mark_gone(uow.session, workspace.id, user_id, now)
        slugs = [cohort.slug for _, cohort in current_memberships(uow.session, workspace.id, user_id)]
        uow.commit()
    left = [_leave(database, team_id, slug, user_id, now, admins) for slug in slugs]
    once_through_deadlocks(
        lambda: release_gone(database.unit_of_work(), team_id, user_id, now, admins=admins, decrypt=decrypt)
    )
    return [one for one in left if one is not None]


def _leave(
    database: Database, team_id: str, slug: str, user_id: str, now: datetime, admins: Admins
) -> Left | None:
    """Leave one cohort; None when it was left meanwhile, or archived."""
    try:
        return once_through_deadlocks(
            lambda: leave(database.unit_of_work(), team_id, slug, user_id, now, admins=admins)
        )
    except (NotAMember, CohortNotFound):
        return None


def back_in_slack(uow: UnitOfWork, team_id: str, user_id: str) -> bool:
    """Slack shows the person's account active: forget that they left, so a facilitator among them hears
    their cohorts again; whether they had left."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        back = workspace is not None and mark_back(uow.session, workspace.id, user_id)
        uow.commit()
        return back
