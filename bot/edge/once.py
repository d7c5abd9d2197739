"""Take each request in once, after its ack: a replay, or Slack's retry of an event, is not worked again.

The keys are written by the work after the ack, so the ack never waits for the database. The first
process to write a key wins (the primary key of `seen_requests` decides), whichever replica it is.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.edge.shape import event_id
from bot.edge.signature import FRESH_SECONDS
from circles.persistence.db import Database
from circles.services.intake.seen import first_sighting, forget_expired, forget_sighting

# A request is remembered a little longer than it stays fresh, so clocks a little apart change nothing.
REMEMBER = timedelta(seconds=2 * FRESH_SECONDS)
# Slack retries an event for about an hour and a half (after 1 minute, 5 minutes, then 30 minutes).
REMEMBER_EVENT = timedelta(hours=2)
FORGET_EVERY_SECONDS = 60.0
# Where a request that came over Socket Mode carries the id of its envelope.
ENVELOPE_HEADER = "x-circles-envelope-id"


def keys_of(
    body: Mapping[str, Any], headers: Mapping[str, Sequence[str]], now: datetime
) -> list[tuple[str, datetime]]:
    """What names this request (its signature) and its event (Slack's event_id), with their expiries.

    A request without a signature (Socket Mode) is named by its envelope and, as Slack may send a command
    or a press again in a new envelope after a reconnect, by its trigger_id, which Slack makes for each.
    """
    keys = []
    timestamp = _first(headers, "x-slack-request-timestamp")
    signature = _first(headers, "x-slack-signature")
    if timestamp and signature:
        keys.append((f"request:{timestamp[:12]}:{signature[:100]}", now + REMEMBER))
    elif envelope := _first(headers, ENVELOPE_HEADER):
        keys.append((f"envelope:{envelope[:100]}", now + REMEMBER_EVENT))
        trigger = body.get("trigger_id")
        if isinstance(trigger, str) and trigger:
            keys.append((f"trigger:{trigger[:100]}", now + REMEMBER_EVENT))
    event = event_id(dict(body))
    if event is not None:
        keys.append((f"event:{event}", now + REMEMBER_EVENT))
    if (execution := function_execution_id(body)) is not None:
        # A workflow's step may come again in a new event: its run, not the event, is worked once.
        keys.append((f"function:{execution}", now + REMEMBER_EVENT))
    return keys


def function_execution_id(body: Mapping[str, Any]) -> str | None:
    """The run of a Workflow Builder step a function_executed event asks for; None for anything else."""
    event = body.get("event")
    found = event.get("function_execution_id") if isinstance(event, dict) else None
    return found if isinstance(found, str) and 0 < len(found) <= 100 else None


def press_key(*parts: str) -> str:
    """A key naming one ask made by a press (its workspace, person, button and value), whichever request
    carried it: hashed, as the parts come from the payload and may be of any length."""
    return "press:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class TakeIn:
    """Says whether a request is new, and now and then forgets keys that can no longer be replayed."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._forgotten_at = 0.0

    def first_time(
        self, body: Mapping[str, Any], headers: Mapping[str, Sequence[str]], now: datetime
    ) -> bool:
        keys = keys_of(body, headers, now)
        return not keys or first_sighting(self._db.unit_of_work(), keys)

    def first_press(self, key: str, now: datetime, within: timedelta) -> bool:
        """Whether no press named `key` (see press_key) was taken in within `within` before `now`: each
        press of a double click is a request of its own, but the second is the same ask. Expired keys go
        first, so a press after the window is new even when housekeeping has not run since."""
        forget_expired(self._db.unit_of_work(), now)
        return first_sighting(self._db.unit_of_work(), [(key, now + within)])

    def press_came_to_nothing(self, key: str) -> None:
        """The press named `key` ended without doing what it asked (refused, or Slack failed): pressing
        again is a new ask at once, not the same one still on its way."""
        forget_sighting(self._db.unit_of_work(), key)

    def forget_now_and_then(self, now: datetime) -> None:
        # Housekeeping only: two replicas forgetting at once both delete, which is harmless.
        if time.monotonic() - self._forgotten_at >= FORGET_EVERY_SECONDS:
            self._forgotten_at = time.monotonic()
            forget_expired(self._db.unit_of_work(), now)


def _first(headers: Mapping[str, Sequence[str]], name: str) -> str:
    values = headers.get(name) or ()
    value = values[0] if values else ""
    return value if isinstance(value, str) else ""
