"""Keep up with changes to people and to the installation itself."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from bot.deps import Deps
from circles.services.profiles import refresh_from_slack
from circles.services.workspaces import mark_uninstalled

logger = logging.getLogger(__name__)


def user_changed(event: dict[str, Any], context: BoltContext, deps: Deps) -> None:
    """Keep a member's time zone fresh, so prompts arrive in their local morning."""
    user = event.get("user") or {}
    if not user.get("id"):
        return
    refresh_from_slack(
        deps.db.unit_of_work(),
        team_id=context.team_id or user.get("team_id", ""),
        user_id=user["id"],
        timezone=user.get("tz"),
        display_name=(user.get("profile") or {}).get("display_name") or user.get("real_name"),
        now=deps.clock(),
    )


def app_uninstalled(context: BoltContext, deps: Deps) -> None:
    """Stop working for a workspace that removed the app; its OAuth tokens are forgotten."""
    team_id = context.team_id or ""
    mark_uninstalled(deps.db.unit_of_work(), team_id=team_id, now=deps.clock())
    if deps.installation_store is not None:
        deps.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
    logger.info("app uninstalled from %s", team_id)


def tokens_revoked(event: dict[str, Any], context: BoltContext, deps: Deps) -> None:
    """Forget revoked bot tokens so nothing tries to send with them."""
    team_id = context.team_id or ""
    if deps.installation_store is not None and (event.get("tokens") or {}).get("bot"):
        deps.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=team_id)
    logger.warning("Slack revoked tokens for %s; reinstall the app to resume", team_id)
