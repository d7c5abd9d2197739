"""Look in a conversation for a message an earlier attempt may already have posted."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

OUTBOX_EVENT = "circles_outbox"
# Our clock and Slack's may disagree: look a little further back than the first attempt.
CLOCK_SLACK = timedelta(minutes=10)
PAGE = 200
MAX_PAGES = 5
# History answers these when the app may not read the conversation: nobody can tell, so post.
CANNOT_LOOK = frozenset({"missing_scope", "not_in_channel", "channel_not_found", "no_permission"})


def metadata(key: str) -> dict[str, Any]:
    """The message metadata that lets a later attempt recognise the message as this outbox row's."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}}


def conversation_of(client: WebClient, channel: str) -> str:
    """The conversation a channel argument posts into: a user ID means the app's DM with that person."""
    if channel[:1] in ("U", "W"):
        return str(client.conversations_open(users=channel)["channel"]["id"])
    return channel


def find_posted(
    client: WebClient, channel: str, key: str, since: datetime, wall: Callable[[], float] = time.time
) -> dict[str, Any] | None:
    """{"channel", "ts"} of the message carrying key posted since `since`, or None when there is none.

    A pass may run at a `now` given by hand (`circles tick --now`), ahead of the wall clock that stamps
    Slack's messages: then look back from the wall clock instead.
    """
    conversation = conversation_of(client, channel)
    oldest = f"{min(since.timestamp(), wall()) - CLOCK_SLACK.total_seconds():.6f}"
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = client.conversations_history(
            channel=conversation, oldest=oldest, include_all_metadata=True, limit=PAGE, cursor=cursor
        )
        messages: list[dict[str, Any]] = page.get("messages", [])
        for message in messages:
            found = message.get("metadata") or {}
            payload = found.get("event_payload") or {}
            if found.get("event_type") == OUTBOX_EVENT and payload.get("key") == key:
                return {"channel": conversation, "ts": message["ts"]}
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None  # a thousand messages since the first attempt: a busier conversation than circles have
