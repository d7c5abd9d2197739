"""Record how a claimed row ended: an ordinary message alone, a round's step with what it makes possible."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.gateway.outcomes import EVERY_DM_FAILS, PERSON_UNREACHABLE
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.retry import again_if_dropped
from circles.services.escalations.sending import Admins
from circles.services.outbox.giving_up import retry_or_give_up, taken_on
from circles.services.outbox.queue import Claimed, Trail, mark_failed, mark_sent
from circles.services.outbox.refused import fail_refused
from circles.services.outbox.unreachable import Unreachable, fail_unreachable
from circles.services.people.circle_exit import KICK, circle_exit_refused
from circles.services.rounds.lost import circle_conversation_gone, circle_conversation_lost
from circles.services.rounds.queue import round_row
from circles.services.rounds.record import step_failed, step_sent


def is_round_step(row: Claimed) -> bool:
    """A step of a round's creation: recording it queues the next step, so the pass claims again."""
    found = round_row(row.payload)
    return found is not None and found.step_id is not None


class Recorder:
    """Writes outcomes, each in its own short transaction; safe to share between worker threads.

    Each is recorded again on a new connection if the database dropped the first one: recording twice
    changes nothing (a row is recorded sent once; a failure is fenced by its claim), whereas an outcome
    not recorded would have the message sent again once its claim expired.
    """

    def __init__(self, db: Database, admins: Admins = ()) -> None:
        self._db, self._admins = db, admins

    def sent(self, row: Claimed, result: dict[str, Any], now: datetime) -> None:
        step = _step(row)
        if step is None:
            again_if_dropped(
                lambda: mark_sent(self._db.unit_of_work(), row.id, result, now, row.payload, row.key)
            )
        else:
            again_if_dropped(lambda: step_sent(self._db.unit_of_work(), row.id, step, result, now))

    def failed(self, row: Claimed, error: str, now: datetime) -> None:
        step = _step(row)
        if step is None and row.method == KICK:  # before the rest: a kick is no message to anyone
            where = (row.id, row.attempt, row.workspace_id)
            again_if_dropped(
                lambda: circle_exit_refused(
                    self._db.unit_of_work(), where, row.key, row.payload, error, now, self._admins
                )
            )
        elif step is None and row.channel and circle_conversation_gone(row.payload, error):
            where, channel = (row.id, row.attempt, row.workspace_id), row.channel
            again_if_dropped(
                lambda: circle_conversation_lost(
                    self._db.unit_of_work(), where, channel, error, now, self._admins
                )
            )
        elif step is None and error in PERSON_UNREACHABLE and row.channel:
            # What it carried (an alert, a support request) is taken to someone else in the same transaction.
            gone = Unreachable(row.id, row.attempt, row.workspace_id, row.key, row.channel, row.payload)
            again_if_dropped(
                lambda: fail_unreachable(self._db.unit_of_work(), gone, error, now, self._admins)
            )
        elif step is None and row.channel and error not in EVERY_DM_FAILS:
            # Failed for good otherwise (what it holds, the app's own build of it, a code Slack gives only
            # here): sent again or elsewhere it would fail alike; a request's people are told.
            refused = Unreachable(row.id, row.attempt, row.workspace_id, row.key, row.channel, row.payload)
            again_if_dropped(lambda: fail_refused(self._db.unit_of_work(), refused, error, now))
        elif step is None:
            again_if_dropped(lambda: mark_failed(self._db.unit_of_work(), row.id, row.attempt, error))
        else:
            again_if_dropped(
                lambda: step_failed(self._db.unit_of_work(), row.id, row.attempt, step, error, now)
            )

    def retry_later(
        self, row: Claimed, error: str, at: datetime, trail: Trail, now: datetime, max_attempts: int
    ) -> OutboxStatus | None:
        """Put the row back to be tried at `at`; after its last attempt, fail it with what follows from it
        in the same transaction (see giving_up). None if the claim is no longer ours."""
        return again_if_dropped(
            lambda: retry_or_give_up(
                self._db.unit_of_work(),
                row,
                error,
                at,
                trail,
                now=now,
                max_attempts=max_attempts,
                admins=self._admins,
            )
        )

    def gave_up(self, row: Claimed, error: str, now: datetime) -> None:
        """What follows from a row a claim gave up (a round's step: recorded as not done, in a transaction
        of its own, its run locked first; the claim took on anything else itself)."""
        again_if_dropped(lambda: taken_on(self._db.unit_of_work(), row, error, now, self._admins))


def _step(row: Claimed) -> int | None:
    found = round_row(row.payload)
    return None if found is None else found.step_id
