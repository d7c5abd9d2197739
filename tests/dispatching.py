"""What the dispatcher's tests share: a fake clock, deps that reach the stand-in, rows in the outbox."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.deps import Deps
from bot.dispatch import DispatchOptions
from bot.pacing import Pacer, SlackLimits
from circles.domain.vocabulary import OutboxStatus
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.giving_up import retry_or_give_up
from circles.services.outbox.queue import MAX_ATTEMPTS, Claimed, Trail
from circles.settings import Settings
from standin import Call, SlackStandIn

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TOKEN = "xoxb-dispatch-test"
UNPACED = DispatchOptions(limits=SlackLimits.none())


class FakeClock:
    """A monotonic clock that moves only when the code under test sleeps; it remembers each sleep.

    `before_sleep`, when given, runs at each sleep before the clock moves on: a test waits there for what
    the time slept stands for (Slack finishing a request the client gave up on) instead of sleeping."""

    def __init__(self, before_sleep: Callable[[], object] | None = None) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []
        self._before_sleep = before_sleep

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        if self._before_sleep is not None:
            self._before_sleep()
        self.slept.append(seconds)
        self.now += seconds

    def pacer(self) -> Pacer:
        return Pacer({}, clock=self.time, sleep=self.sleep)


def deps_for(db: Database, standin: SlackStandIn, admins: Sequence[str] = ()) -> Deps:
    settings = Settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_signing_secret="dispatch-test-secret",
        slack_api_url=standin.api_url,
        circles_admins=frozenset(admins),
    )
    return Deps(settings=settings, db=db, pacer=Pacer.unpaced())


@dataclass(frozen=True)
class Stored:
    """A row as it may already wait in the outbox: any template name and arguments, as JSON keeps them."""

    key: str
    channel: str
    template: str
    args: dict[str, Any] = field(default_factory=dict)
    method: str = "chat.postMessage"


def plain(key: str, channel: str, text: str | None = None) -> Outgoing:
    return Outgoing(key, channel, PlainNotice(text or f"Hello from {key}"))


def record(
    db: Database, messages: Sequence[Outgoing | Stored], due_at: datetime = NOW, team_id: str = "T0001"
) -> int:
    """Put messages in the outbox of the team's workspace (made on first use); return the workspace id."""
    with db.unit_of_work() as uow:
        workspace = uow.session.scalars(select(Workspace).where(Workspace.team_id == team_id)).first()
        if workspace is None:
            workspace = Workspace(team_id=team_id, name=f"Team {team_id}", created_at=NOW)
            uow.session.add(workspace)
            uow.session.flush()
        enqueue_many(uow.session, workspace.id, [m for m in messages if isinstance(m, Outgoing)], due_at, NOW)
        for row in (m for m in messages if isinstance(m, Stored)):
            uow.session.add(
                OutboxMessage(
                    workspace_id=workspace.id,
                    idempotency_key=row.key,
                    method=row.method,
                    channel=row.channel,
                    payload={"template": row.template, "args": row.args},
                    due_at=due_at,
                    created_at=NOW,
                )
            )
        uow.commit()
        return workspace.id


def claims_run_out(db: Database) -> None:
    """End every claim now, as five minutes of waiting would: a dead process's claims last that long on
    the wall clock, whatever `--now` it ran at."""
    ended = datetime.now(UTC) - timedelta(seconds=1)
    with db.unit_of_work() as uow:
        claimed = OutboxMessage.status == OutboxStatus.CLAIMED
        uow.session.execute(update(OutboxMessage).where(claimed).values(claimed_until=ended))
        uow.commit()


def rows(db: Database) -> dict[str, OutboxMessage]:
    """Every outbox row by key, as it stands now."""
    with db.unit_of_work() as uow:
        return {row.idempotency_key: row for row in uow.session.scalars(select(OutboxMessage))}


def key_of(call: Call) -> str:
    """The outbox key a chat.postMessage call carried in its metadata."""
    metadata = call.args.get("metadata") or {}
    return str((metadata.get("event_payload") or {}).get("key"))


def taken(call: Call) -> bool:
    """Whether Slack took the call (HTTP 200 and ok)."""
    return call.status == 200 and isinstance(call.response, dict) and bool(call.response.get("ok"))


def posts(standin: SlackStandIn) -> Counter[str]:
    """How many times Slack took a message for each outbox key, from the stand-in's record of calls."""
    return Counter(key_of(call) for call in standin.calls("chat.postMessage") if taken(call))


def given_up(
    db: Database, row: Claimed, error: str, at: datetime, trail: Trail, *, max_attempts: int = MAX_ATTEMPTS
) -> OutboxStatus | None:
    """What the dispatcher records when Slack failed `row` with a passing error: put back to be tried at
    `at`, or, after its last attempt, failed with what follows from it (no admins to fall back on)."""
    return retry_or_give_up(
        db.unit_of_work(), row, error, at, trail, now=at, max_attempts=max_attempts, admins=()
    )
