"""Claim due outbox rows for sending and record how each attempt ended, each in its own short transaction.

A claim lasts `claim_for` on the wall clock, whatever instant (`now`) the pass runs at: a pass run by
hand at a past `--now` must not hold claims that a sender beside it already finds expired. A dispatcher
that dies holding one leaves the row `claimed` with an expired `claimed_until`, and the next claim takes
it again. The claim number (`attempts` after claiming) fences what a dispatcher records: once its claim
expired and someone else claimed the row, it can no longer fail or postpone it. Marking a row sent is
never fenced: that Slack has the message is true whoever learns it (but a row superseded while its call
was on its way stays superseded, see landed). As each row's turn comes, its sender looks at it again
(turns): still claimed by it, and still passing the checks the claim made.

While a row is unsent its `result` keeps a small trail: when it was first claimed (no earlier attempt
can have posted it before then) and whether an earlier attempt may have reached Slack (a timeout, a
server error, or a claim that expired with its dispatcher). The Slack side looks before posting such a
row again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import OutboxMessage
from circles.queries.outbox import claims
from circles.queries.outbox.late import is_too_late
from circles.services.escalations.sending import Admins
from circles.services.outbox.checks import not_now
from circles.services.outbox.expired import give_up
from circles.services.outbox.landed import mark_sent as mark_sent
from circles.services.outbox.landed import record_sent as record_sent

MAX_ATTEMPTS = 8
ROUNDS = 4  # lockings in one claim at most, when rows held back or given up left room in the batch


@dataclass(frozen=True)
class Trail:
    """What an unsent row remembers about earlier attempts."""

    first_claimed_at: datetime
    maybe_posted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"first_claimed_at": self.first_claimed_at.isoformat(), "maybe_posted": self.maybe_posted}

    @classmethod
    def of(cls, result: dict[str, Any] | None, now: datetime) -> Trail:
        found = result or {}
        first = found.get("first_claimed_at")
        return cls(datetime.fromisoformat(first) if first else now, bool(found.get("maybe_posted")))


@dataclass(frozen=True)
class Claimed:
    """One claimed row, with what sending it needs."""

    id: int
    workspace_id: int
    team_id: str
    enterprise_id: str | None
    key: str
    method: str
    channel: str | None
    payload: dict[str, Any]
    attempt: int  # the claim's number: the fence for recording its outcome
    claimed_until: datetime
    trail: Trail


def claim_due(
    uow: UnitOfWork,
    now: datetime,
    *,
    limit: int,
    claim_for: timedelta,
    max_attempts: int = MAX_ATTEMPTS,
    admins: Admins = (),
    given_up: list[Claimed] | None = None,
    share: Share | None = None,
    wall: datetime | None = None,
    grace: timedelta | None = None,
) -> list[Claimed]:
    """Claim up to `limit` rows due at `now`, or whose claim expired, oldest due first; commit at once.

    `wall` is the wall clock's time (the edge reads it; default `now`): claims are taken until `claim_for`
    after it, and a claim has expired once it has passed. With a `grace` (CIRCLES_GRACE_HOURS), a planned
    occurrence due longer than that before `now` is not claimed, nor held back, but left pending for the
    tick to record missed, even one whose claim expired (its dispatcher died or stopped meanwhile).

    With a `share`, each workspace gets at most its share of the rows of each locking (so that one
    workspace's backlog never keeps another's messages waiting), some workspaces none, and some people's
    messages that can wait none; the workspaces that had their full share are added to `share.filled`.

    Rows of a workspace that uninstalled the app stay pending until it is installed again. A row whose
    claim expired `max_attempts` times is given up as failed instead of being claimed again (see expired:
    what an alert, a support request, an ending report or a removal carried is taken on at once; a round's
    step is added to `given_up`, as it was, for the sender's part). A personal message whose person cannot
    be reached now, or a circle's prompt most of whose members cannot, is held back to a later due time
    instead (see deferral); what a released one replaces is superseded, as is a return's catch-up check-in
    once a check-in of its pair reached the person since the return (see caught_up). A check-in question
    nobody can answer any more, a notice about someone no longer a partner, and a survey message that no
    longer makes sense, are dropped; a coach's digest keeps only what is still true (see stale).
    """
    wall = now if wall is None else wall
    with uow:
        claimed: list[Claimed] = []
        # Rows held back or given up leave room in the batch: take more, a few rounds at most.
        for _ in range(ROUNDS):
            wanted = limit - len(claimed)
            locked = _lock(uow.session, (now, wall), wanted, share, grace)
            timely = locked if grace is None else _past_grace(locked, now, grace)
            claimed += _claim(uow.session, timely, (now, wall), claim_for, max_attempts, admins, given_up)
            if len(locked) < wanted or len(claimed) >= limit:
                break
        uow.commit()
        return claimed


@dataclass
class Share:
    """How a claim shares itself among workspaces, and which of them had their full share."""

    per_workspace: int
    skip: Collection[int] = ()  # workspaces none of whose rows to take now
    leave: Collection[tuple[int, str]] = ()  # (workspace id, person): their messages that can wait stay
    filled: set[int] = field(default_factory=set)


def _lock(
    session: Session, at: tuple[datetime, datetime], limit: int, share: Share | None, grace: timedelta | None
) -> list[tuple[OutboxMessage, str, str | None]]:
    now, wall = at
    if share is None:
        return claims.lock_claimable(session, now, limit, wall=wall, grace=grace)
    locked = claims.lock_claimable(
        session, now, limit, share.per_workspace, share.skip, share.leave, wall=wall, grace=grace
    )
    counts = Counter(row.workspace_id for row, _, _ in locked)
    share.filled |= {workspace for workspace, n in counts.items() if n >= share.per_workspace}
    return locked


def _past_grace(
    locked: list[tuple[OutboxMessage, str, str | None]], now: datetime, grace: timedelta
) -> list[tuple[OutboxMessage, str, str | None]]:
    """The locked rows but those whose claim expired past their occurrence's grace: pending again (their
    attempts kept), for the tick to record missed, as it does those no dispatcher took."""
    kept = []
    for row, team_id, enterprise_id in locked:
        if row.status == OutboxStatus.CLAIMED and is_too_late(row, now, grace):
            row.status, row.claimed_until = OutboxStatus.PENDING, None
        else:
            kept.append((row, team_id, enterprise_id))
    return kept


def _claim(
    session: Session,
    locked: list[tuple[OutboxMessage, str, str | None]],
    at: tuple[datetime, datetime],
    claim_for: timedelta,
    max_attempts: int,
    admins: Admins,
    given_up: list[Claimed] | None,
) -> list[Claimed]:
    now, wall = at  # what is true and due: the pass's instant; how long a claim holds: the wall clock
    spent, candidates, claimed = [], [], []
    for row, team_id, enterprise_id in locked:
        if row.status == OutboxStatus.CLAIMED and row.attempts >= max_attempts:
            spent.append((row, team_id, enterprise_id))
        else:
            candidates.append((row, team_id, enterprise_id))
    teams = {row.id: (team_id, enterprise_id) for row, team_id, enterprise_id in spent}
    for row, payload in give_up(session, [row for row, _, _ in spent], now, admins):
        if given_up is not None:  # what it was, for the sender's part (its claim is over)
            identity = (row.id, row.workspace_id, *teams[row.id], row.idempotency_key)
            trail = Trail.of(row.result, now)
            given_up.append(Claimed(*identity, row.method, row.channel, payload, row.attempts, wall, trail))
    settled = not_now(session, [row for row, _, _ in candidates], now)
    for row, team_id, enterprise_id in candidates:
        if row.id in settled:
            continue
        expired = row.status == OutboxStatus.CLAIMED
        previous = Trail.of(row.result, now)
        trail = Trail(previous.first_claimed_at, previous.maybe_posted or expired)
        row.status, row.claimed_until = OutboxStatus.CLAIMED, wall + claim_for
        row.attempts += 1
        row.result = trail.to_json()
        claimed.append(_claimed(row, team_id, enterprise_id, trail))
    return claimed


def _claimed(row: OutboxMessage, team_id: str, enterprise_id: str | None, trail: Trail) -> Claimed:
    assert row.claimed_until is not None
    identity = (row.id, row.workspace_id, team_id, enterprise_id, row.idempotency_key)
    what = (row.method, row.channel, dict(row.payload))
    return Claimed(*identity, *what, attempt=row.attempts, claimed_until=row.claimed_until, trail=trail)


def mark_failed(uow: UnitOfWork, message_id: int, attempt: int, error: str) -> bool:
    """Record a permanent error: the row is never tried again. False if the claim is no longer ours."""
    with uow:
        changed = record_failed(uow.session, message_id, attempt, error)
        uow.commit()
        return changed


def record_failed(session: Session, message_id: int, attempt: int, error: str) -> bool:
    """mark_failed in the caller's transaction."""
    return claims.settle_failed(session, message_id, attempt, error)


def release(uow: UnitOfWork, message_id: int, attempt: int, at: datetime | None = None) -> bool:
    """Give back a claim that was never tried (the pass ended first): it does not count as an attempt.

    The row keeps its place (its due time) unless `at` moves it later.
    """
    with uow:
        changed = claims.give_back(uow.session, message_id, attempt, at)
        uow.commit()
        return changed
