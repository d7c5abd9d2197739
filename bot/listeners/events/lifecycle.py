"""Keep up with changes to people and to the installation itself."""

from __future__ import annotations

import logging

from bot.listeners.incoming import Incoming
from circles.services.profiles import refresh_from_slack
from circles.services.workspaces import mark_uninstalled

logger = logging.getLogger(__name__)


def user_changed(incoming: Incoming) -> None:
    """Keep a member's time zone fresh, so prompts arrive in their local morning."""
    user = incoming.body["event"].get("user") or {}
    if not user.get("id"):
        return
    refresh_from_slack(
        incoming.deps.db.unit_of_work(),
        team_id=incoming.team_id or user.get("team_id", ""),
        user_id=user["id"],
        timezone=user.get("tz"),
        display_name=(user.get("profile") or {}).get("display_name") or user.get("real_name"),
        now=incoming.deps.clock(),
    )


def app_uninstalled(incoming: Incoming) -> None:
    """Stop working for a workspace that removed the app; its OAuth tokens are forgotten."""
    deps, team_id = incoming.deps, incoming.team_id
    mark_uninstalled(deps.db.unit_of_work(), team_id=team_id, now=deps.clock())
    if deps.installation_store is not None:
        deps.installation_store.delete_all(enterprise_id=incoming.context.enterprise_id, team_id=team_id)
    logger.info("app uninstalled from %s", team_id)


def tokens_revoked(incoming: Incoming) -> None:
    """Forget revoked bot tokens so nothing tries to send with them."""
    deps, team_id = incoming.deps, incoming.team_id
    if deps.installation_store is not None and (incoming.body["event"].get("tokens") or {}).get("bot"):
        # The installation row holds the bot token too, and Bolt looks there first: forget both.
        deps.installation_store.delete_all(enterprise_id=incoming.context.enterprise_id, team_id=team_id)
    logger.warning("Slack revoked tokens for %s; reinstall the app to resume", team_id)
