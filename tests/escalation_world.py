"""A cohort with two facilitators, a coach–learner pair that worries them, and their check-in notes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.messages import render
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.models import OutboxMessage
from circles.services.escalations.open import Concern
from tests import factories
from tests.factories import NOW

FACILITATORS = ("U0FAC1", "U0FAC2")
SHARED_NOTE = "We keep rescheduling and I feel like a burden."
PRIVATE_NOTE = "Honestly I dread our sessions."
OLD_NOTE = "Going fine so far, thanks."
REASON = "both rated the partnership 1 or 2 at the last check-in"


def seal(text: str) -> bytes:
    """A stand-in for the notes key: unreadable as stored, opened only by `unseal`."""
    return b"sealed:" + text[::-1].encode()


def unseal(token: bytes) -> str:
    return token.decode().removeprefix("sealed:")[::-1]


@dataclass(frozen=True)
class World:
    workspace_id: int
    cohort_id: int
    partnership_id: int


def build(session: Session, team_id: str = "T0001", slug: str = "pgy1") -> World:
    """The cohort, its people, and check-ins: one old shared note, one recent shared, one not shared."""
    ws = factories.workspace(session, team_id)
    co = factories.cohort(session, ws, slug, "PGY-1 <spring>")
    co.pairing_mode = PairingMode.COACH_LEARNER
    for user in FACILITATORS:
        factories.facilitator(session, co, user, flush=False)
    coach = factories.member(session, co, "U0COACH", Role.COACH, flush=False)
    learner = factories.member(session, co, "U0LEARN", Role.LEARNER, flush=False)
    factories.member(session, co, "U0OTHER", Role.LEARNER, flush=False)
    pair = factories.pair(session, coach, learner)  # flushes the rows above first
    notes = [
        (learner.id, 28, OLD_NOTE, True),
        (learner.id, 14, SHARED_NOTE, True),
        (coach.id, 14, PRIVATE_NOTE, False),
    ]
    for member_id, days_ago, text, shared in notes:
        due = NOW - timedelta(days=days_ago)
        session.add(factories.checkin(pair, member_id, due, 2, met=False, note=seal(text), shared=shared))
    session.flush()
    return World(ws.id, co.id, pair.id)


def struggling(partnership_id: int, *reasons: str) -> Concern:
    return Concern(
        partnership_id,
        "struggling",
        reasons or (REASON,),
        0,
        (("2026-10-05", "steady"), ("2026-10-19", "needs_attention"), ("2026-11-02", "struggling")),
    )


def needs_attention(partnership_id: int, streak: int, last_checkin: str = "2026-11-02") -> Concern:
    trend = (("2026-10-19", "needs_attention"), (last_checkin, "needs_attention"))
    return Concern(partnership_id, "needs_attention", ("ratings apart by 3 points",), streak, trend)


def outbox(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def rendered(row: OutboxMessage) -> str:
    """What Slack will show for an outbox row: fallback text and blocks, as one string."""
    # Rendering is a pure function of the payload, and Block Kit's checks made it most of a test's time:
    # the copies each facilitator gets, and the rows read again, are rendered once.
    key = json.dumps(row.payload, sort_keys=True, default=repr)
    if key not in _rendered:
        message = render(row.payload["template"], row.payload["args"])
        _rendered[key] = message.text + json.dumps(message.block_dicts(), ensure_ascii=False)
    return _rendered[key]


_rendered: dict[str, str] = {}  # by payload, as JSON


def at(days: float = 0, hours: float = 0) -> datetime:
    return NOW + timedelta(days=days, hours=hours)


def args_of(row: OutboxMessage) -> dict[str, Any]:
    args: dict[str, Any] = row.payload["args"]
    return args
