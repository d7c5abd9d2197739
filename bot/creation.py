"""Carry out a claimed row of a round's creation: one of its steps, or the facilitator's progress message.

The dispatcher claims a round's rows like any other (circles.services.rounds.queue queues them) and
hands them here; the steps' Slack calls are in bot.creation_steps. Errors are read by the gateway, the one
way every sender's are (bot.gateway.outcomes); here only a workspace's refusal of channels is noted on the
way, so that the round's other channels take no turn of Slack's limit (bot.creation_refusals).
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.creation_refusals import CHANNELS_REFUSED, CREATE, RefusedRounds
from bot.creation_steps import makes_channel, perform
from bot.gateway.history import CANNOT_LOOK, find_posted, metadata
from bot.gateway.outcomes import Failed, Outcome, Sent, Transient, error_code
from bot.views.matching import report_text
from circles.persistence.db import Database
from circles.services.outbox.queue import Claimed
from circles.services.rounds.queue import RoundRow, round_row
from circles.services.rounds.record import progress_message, superseded
from circles.services.rounds.refused import refused_before, seat_to_offer
from circles.services.rounds.steps import RoundReport, StepWork, round_report, step_work

NOT_POSTED = "progress_not_posted"


class RoundSteps:
    """The Slack side of a round's rows; safe to share between the dispatcher's worker threads."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._refused = RefusedRounds()

    @staticmethod
    def handles(row: Claimed) -> bool:
        return round_row(row.payload) is not None

    def calls(self, row: Claimed, maybe_posted: bool) -> list[tuple[str, str | None]]:
        """The main call of the row, and the history look-up a kickoff needs after an unknown fate."""
        found = round_row(row.payload)
        if row.method == CREATE and found is not None and self._refused.code(found.run_id):
            return []  # failed without a call (see _channel): it takes no turn of Slack's limit
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
        if makes_channel(work):
            return self._channel(client, found.run_id, work, maybe_posted)
        return perform(client, work, maybe_posted)

    def _channel(self, client: WebClient, run_id: int, work: StepWork, maybe_posted: bool) -> Outcome:
        """Create a circle's channel, unless Slack refused one of the round's for the whole workspace: it
        would refuse this one alike, so it fails with the same code, and Slack is not asked."""
        refused = refused_before(self._db.reading(), run_id, CHANNELS_REFUSED)
        self._refused.note(run_id, refused)
        if refused is not None:
            return Failed(refused)
        try:
            return perform(client, work, maybe_posted)
        except SlackApiError as error:
            # conversations.create's own answer: a listing after a name clash refused is about that listing.
            url = getattr(error.response, "api_url", None)
            if error_code(error) in CHANNELS_REFUSED and isinstance(url, str) and url.endswith(CREATE):
                self._refused.note(run_id, error_code(error))
            raise  # read by the gateway, as any call's

    def _progress(self, client: WebClient, row: Claimed, found: RoundRow, maybe_posted: bool) -> Outcome:
        """The facilitator's progress message, posted or updated as things stand when it is sent."""
        report = round_report(self._db.reading(), found.run_id)
        text = report_text(report, seats=self._seats(found.run_id, report))
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

    def _seats(self, run_id: int, report: RoundReport) -> bool:
        """Whether a re-match could seat someone of a circle the round could not make: asked only once the
        round is through with such a circle (a pair's re-match has advice of its own)."""
        progress = report.progress
        if not progress.finished or progress.failed <= progress.unmade_pairs:
            return True  # nothing is offered then
        return seat_to_offer(self._db.reading(), run_id)


def _look(client: WebClient, row: Claimed) -> dict[str, Any] | None:
    assert row.channel is not None
    try:
        return find_posted(client, row.channel, row.key, row.trail.first_claimed_at)
    except SlackApiError as error:
        if error_code(error) in CANNOT_LOOK:
            return None
        raise
