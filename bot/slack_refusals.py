"""Direct messages Slack refuses because it cannot reach the person, and calls to Slack after a change was
made that it fails: one quiet warning, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.gateway.outcomes import UNREACHABLE, error_code

logger = logging.getLogger(__name__)


def unreachable(error: SlackApiError, method: str) -> bool:
    """Whether Slack refused because it cannot reach the person; if so, log the code and method only."""
    code = error_code(error)
    if code not in UNREACHABLE:
        return False
    # Never the text nor the person: what was refused and why is all a reader of the log needs.
    logger.warning("Slack could not reach a person: %s refused with %s", method, code)
    return True


def slack_failure(error: SlackApiError | OSError) -> str:
    """Slack's error code, or the kind of failure (timed out, refused or dropped connections): never text."""
    return error_code(error) if isinstance(error, SlackApiError) else type(error).__name__


def after_the_change(what: str, call: Callable[[], object]) -> bool:
    """Ask Slack for something after a change was recorded; False, and one quiet warning, when Slack
    refused, kept failing or did not answer in time. The change stands: the caller says what was done."""
    try:
        call()
    except (SlackApiError, OSError) as error:
        logger.warning("after a change was made, Slack failed at %s: %s", what, slack_failure(error))
        return False
    return True


def send_dm(client: WebClient, user_id: str, text: str, blocks: Sequence[Any] | None = None) -> bool:
    """Post in the app's DM with one person; False when Slack cannot reach them (other errors rise)."""
    return post_dm(client, user_id, text, blocks) is not None


def post_dm(
    client: WebClient, user_id: str, text: str, blocks: Sequence[Any] | None = None
) -> tuple[str, str] | None:
    """Post in the app's DM with one person: where the message went (channel, ts); None when Slack cannot
    reach them (other errors rise)."""
    try:
        posted = client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except SlackApiError as error:
        if not unreachable(error, "chat.postMessage"):
            raise
        return None
    return str(posted.get("channel") or user_id), str(posted.get("ts") or "")


def open_dm(client: WebClient, user_id: str) -> str | None:
    """The id of the app's DM with one person; None when Slack cannot reach them (other errors rise)."""
    try:
        return str(client.conversations_open(users=user_id)["channel"]["id"])
    except SlackApiError as error:
        if not unreachable(error, "conversations.open"):
            raise
        return None


# When the person who asked cannot be reached in their own DM with the app (where a file was to go).
OWN_DM_CLOSED = "I couldn't open a direct message with you in Slack, so nothing was sent there."


def could_not_reach(*user_ids: str) -> str:
    """What the person who acted is told when those they meant to reach could not be, in one line."""
    who = ", ".join(f"<@{user_id}>" for user_id in user_ids)
    return f"I couldn't reach {who} in Slack: they may have left the workspace."
