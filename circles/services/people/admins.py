"""Who runs Circles in each workspace the database holds (CIRCLES_ADMINS): those who hear, for the rows of
every workspace a pass sends or watches, what no facilitator may hear. Nobody named for one tenant hears
of another's."""

from __future__ import annotations

from collections.abc import Collection

from circles.domain import admins
from circles.persistence.db import UnitOfWork
from circles.queries.workspaces import workspace_ids
from circles.services.escalations.sending import Admins


def admins_by_workspace(reading: UnitOfWork, entries: Collection[str]) -> Admins:
    """The admins of each workspace, by its id; the plain entries alone (the same for every workspace, as
    where the app serves one) when no entry names a tenant. Read in one statement, or none."""
    everywhere = frozenset(admins.plain(entries))
    named = admins.scoped(entries)
    if not named:
        return everywhere
    with reading:
        found = workspace_ids(reading.session, None if everywhere else named.keys())
    return {workspace_id: everywhere | named.get(key, frozenset()) for key, workspace_id in found.items()}
