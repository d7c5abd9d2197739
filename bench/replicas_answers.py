"""Partners answer their check-ins from the DM, through the web processes, as Slack would send it."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot import ids
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Member, Workspace
from standin import Signer, SlackStandIn, post
from standin.defaults import dm_channel_id

RATING = 4
CLIENTS = 8  # requests in flight at once, spread over the web processes


@dataclass(frozen=True)
class Answers:
    sent: int
    recorded: int
    acks_ms: list[float]

    def p(self, q: float) -> float:
        ordered = sorted(self.acks_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def answer(
    db: Database, standin: SlackStandIn, signer: Signer, webs: list[str], since: datetime, every: int
) -> Answers:
    """Every `every`-th check-in due since `since` is rated 4 from its DM; waits until they are stored."""
    with db.reading() as uow:
        due = uow.session.execute(
            select(CheckIn.id, Member.slack_user_id, Workspace.team_id)
            .join(Member, Member.id == CheckIn.member_id)
            .join(Workspace, Workspace.id == CheckIn.workspace_id)
            .where(CheckIn.due_at >= since)
            .order_by(CheckIn.id)
        ).all()
    chosen = due[::every]
    requests = [
        (webs[i % len(webs)], request)
        for i, (checkin_id, user, team) in enumerate(chosen)
        if (request := _tap(standin, signer, checkin_id, user, team)) is not None
    ]
    with ThreadPoolExecutor(CLIENTS) as pool:
        acks = list(pool.map(lambda sent: _timed_post(*sent), requests))
    ids_chosen = [checkin_id for checkin_id, _, _ in chosen]
    deadline, recorded = time.monotonic() + 300, 0
    while time.monotonic() < deadline:
        with db.reading() as uow:
            recorded = (
                uow.session.scalar(
                    select(func.count()).where(CheckIn.id.in_(ids_chosen), CheckIn.rating == RATING)
                )
                or 0
            )
        if recorded >= len(requests):
            break
        time.sleep(0.5)
    return Answers(len(requests), recorded, acks)


def _tap(standin: SlackStandIn, signer: Signer, checkin_id: int, user: str, team: str) -> Any:
    """The signed click on "4" under the check-in in the person's DM, or None if it never arrived."""
    channel = dm_channel_id(user)
    for message in standin.messages(channel):
        if f'"{checkin_id}:' in json.dumps(message.get("blocks") or []):
            return signer.block_action(
                f"{ids.CHECKIN_RATE}_{RATING}",
                user_id=user,
                team_id=team,
                value=f"{checkin_id}:{RATING}",
                channel_id=channel,
                message=message,
            )
    return None


def _timed_post(web: str, request: Any) -> float:
    started = time.perf_counter()
    status, _, _ = post(f"{web}/slack/events", request, timeout=30)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed if status == 200 else float("inf")
