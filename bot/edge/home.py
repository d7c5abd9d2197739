"""One token, one tenant: with SLACK_BOT_TOKEN (no OAuth) the token belongs to one workspace, or to one
organisation installed org-wide, which auth.test names at start.

A correctly signed request naming another tenant is not that tenant's to serve, and nothing of it is ever
stored: its events (a typed message, a Home opened, an uninstall) are acknowledged and dropped, since the
token cannot answer there; its commands and presses are answered as a stranger's, who sees nothing here
and administers nothing, so it cannot create a cohort, and with it a tenant, under this token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.edge.tenant import tenant_of
from circles.domain.tenants import resolve_tenant
from circles.persistence.db import Database
from circles.persistence.trouble import DATABASE_TROUBLE
from circles.services.intake.workspaces import installed_again

# Set on the context of a command or press from another tenant than the token's.
ELSEWHERE = "circles_elsewhere"

logger = logging.getLogger(__name__)


def token_tenant(client: WebClient) -> str:
    """The tenant key of the client's token, from auth.test: a workspace's T…, or an org-wide E…."""
    answer = client.auth_test()
    return resolve_tenant(
        answer.get("team_id"), answer.get("enterprise_id"), answer.get("is_enterprise_install") is True
    ).key


def resume(db: Database, home: str, now: datetime) -> None:
    """The token works, so the app is installed in its tenant: if the tenant was marked removed (an
    uninstall, a revoked token), its waiting messages may go again. A database that does not answer now
    stops nothing: /healthz says so, and the next start tries again."""
    try:
        if installed_again(db.unit_of_work(), home, now):
            logger.info("%s has the app again: its messages resume", home)
    except DATABASE_TROUBLE as error:
        logger.warning("could not mark %s installed again: %s", home, type(error).__name__)


def keep_to(home: str) -> Callable[..., BoltResponse]:
    """A Bolt middleware marking a request of another tenant than `home` (see the module's docstring)."""

    def keep_to_home(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if tenant_of(body, context.team_id).key != home:
            context[ELSEWHERE] = True
        return next()

    return keep_to_home


def from_elsewhere(context: BoltContext) -> bool:
    """Whether the request names another tenant than the one the token belongs to."""
    return context.get(ELSEWHERE) is True


def not_ours(body: Mapping[str, Any], context: BoltContext) -> bool:
    """An event of another tenant than the token's: acknowledged, and nothing is done about it."""
    return from_elsewhere(context) and body.get("type") == "event_callback"
