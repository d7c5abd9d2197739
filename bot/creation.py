"""Carry out a claimed row of a round's creation: one of its steps, or the facilitator's progress message.

The dispatcher claims a round's rows like any other (circles.services.rounds.queue queues them) and
hands them here; the steps' Slack calls are in bot.creation_steps. Errors are not read here: the
gateway reads them the one way every sender does (bot.gateway.outcomes).
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.creation_steps import perform
from bot.gateway.history import CANNOT_LOOK, find_posted, metadata
from bot.gateway.outcomes import Failed, Outcome, Sent, Transient, error_code
from bot.views.matching import problem_lines, progress_text
from circles.persistence.db import Database
from circles.services.outbox.queue import Claimed
from circles.services.rounds.queue import RoundRow, round_row
from circles.services.rounds.record import progress_message, superseded
from circles.services.rounds.steps import round_report, step_work

NOT_POSTED = "progress_not_posted"


class RoundSteps:
    """The Slack side of a round's rows; safe to share between the dispatcher's worker threads."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def handles(row: Claimed) -> bool:
        return round_row(row.payload) is not None

    def calls(self, row: Claimed, maybe_posted: bool) -> list[tuple[str, str | None]]:
        """The main call of the row, and the history look-up a kickoff needs after an unknown fate."""
        looks = maybe_posted and row.method == "chat.postMessage"
        return (
            [("conversations.history", None), (row.method, row.channel)]
            if looks
            else [(row.method, row.channel)]
        )

    def send(self, client: WebClient, row: Claimed, maybe_posted: bool) -> Outcome:
        """Do the row's work once; Slack's and the network's errors are raised for the gateway to read."""
        found = round_row(row.payload)
        assert found is not None
        if found.step_id is None:
            return self._progress(client, row, found, maybe_posted)
        work = step_work(self._db.reading(), found.step_id)
        if work is None:
            return Sent({"already": "done"}, deduplicated=True)
        return perform(client, work, maybe_posted)

    def _progress(self, client: WebClient, row: Claimed, found: RoundRow, maybe_posted: bool) -> Outcome:
        """The facilitator's progress message, posted or updated as things stand when it is sent."""
        report = round_report(self._db.reading(), found.run_id)
        text = progress_text(report.plan, report.progress, problem_lines(report.problems))
        assert row.channel is not None
        if found.progress == "post":
            if maybe_posted and (earlier := _look(client, row)) is not None:
                return Sent(earlier, deduplicated=True)
            posted = client.chat_postMessage(channel=row.channel, text=text, metadata=metadata(row.key))
            return Sent({"channel": posted["channel"], "ts": posted["ts"]})
        # Read after the report: the update queued with what the report shows is there by now.
        if superseded(self._db.reading(), found.run_id, row.key):
            return Sent({"superseded": True}, deduplicated=True)
        where = progress_message(self._db.reading(), found.run_id)
        if where.channel is None or where.ts is None:
            # Not posted yet (another worker may be posting it): try again shortly; never posted: give up.
            return Transient(NOT_POSTED, maybe_posted=False) if where.waiting else Failed(NOT_POSTED)
        updated = client.chat_update(channel=where.channel, ts=where.ts, text=text)
        return Sent({"channel": updated["channel"], "ts": updated["ts"]})


def _look(client: WebClient, row: Claimed) -> dict[str, Any] | None:
    assert row.channel is not None
    try:
        return find_posted(client, row.channel, row.key, row.trail.first_claimed_at)
    except SlackApiError as error:
        if error_code(error) in CANNOT_LOOK:
            return None
        raise
