"""Ask Slack about a person."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

logger = logging.getLogger(__name__)


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """Say whether Slack calls this person an admin or owner; when Slack cannot say, assume not."""
    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, SlackRequestError, OSError) as error:
        logger.warning("users.info failed for %s: %s", user_id, error)
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
