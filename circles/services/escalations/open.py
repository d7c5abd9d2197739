"""Open a private escalation to a cohort's facilitators when a partnership's health calls for them.

One escalation per partnership at a time: while one is open, claimed or snoozed, a new concern only
refreshes what it shows (its reasons, state and trend), and nothing is sent. A snooze that has run out is
brought back by `follow_up_unclaimed` (circles.services.escalations.follow_up), with the refreshed
reasons, rather than opened a second time. After a resolution, the same partnership opens a new one
only on newer evidence (see circles.domain.escalations.recurred).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import (
    APP_ACTOR,
    NEEDS_ATTENTION,
    STRUGGLING,
    Action,
    calls_for_facilitators,
    recurred,
)
from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.persistence.models import Cohort, Escalation, Facilitator, Partnership
from circles.services.escalations.cards import record, send
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.notes import Decrypt, SharedNote, shared_notes

__all__ = ["Concern", "SharedNote", "follow_up_unclaimed", "open_escalations", "shared_notes"]

CHUNK = 900  # ids per IN (...) list, well under every database's limit on bound parameters


@dataclass(frozen=True)
class Concern:
    """One partnership's health, as the health step sees it."""

    partnership_id: int
    state: str  # "thriving" | "steady" | "needs_attention" | "struggling"
    reasons: tuple[str, ...]  # plain words, e.g. "no meeting reported for 24 days"
    attention_streak: int  # consecutive check-in occurrences in needs_attention (0 if not)
    trend: tuple[tuple[str, str], ...] = ()  # recent (ISO date, state), oldest first

    def latest_checkin(self) -> date | None:
        try:
            return date.fromisoformat(self.trend[-1][0][:10]) if self.trend else None
        except ValueError:
            return None


def open_escalations(
    session: Session, concerns: Iterable[Concern], now: datetime, *, decrypt: Decrypt | None = None
) -> list[int]:
    """Open an escalation for each partnership that calls for its facilitators; returns the new ids.

    Each one records an audit event and one private DM per facilitator of the cohort, in the caller's
    transaction. `decrypt` opens the notes partners shared; without it the alert carries no notes.
    """
    worrying = {c.partnership_id: c for c in concerns if c.state in (STRUGGLING, NEEDS_ATTENTION)}
    opened: list[int] = []
    for chunk in _chunks(sorted(worrying)):
        pairs = session.execute(
            select(Partnership, Cohort)
            .join(Cohort, Cohort.id == Partnership.cohort_id)
            .where(Partnership.id.in_(chunk), Partnership.status != PartnershipStatus.ENDED)
        ).all()
        earlier = _earlier_escalations(session, chunk)
        facilitators = _facilitators(session, {cohort.id for _, cohort in pairs})
        for pair, cohort in pairs:
            concern = worrying[pair.id]
            thresholds = HealthThresholds.from_json(cohort.health_thresholds)
            if not calls_for_facilitators(concern.state, concern.attention_streak, thresholds):
                continue
            unresolved, resolved_at = earlier.get(pair.id, (None, None))
            if unresolved is not None:
                _refresh(unresolved, concern)
                continue
            every = timedelta(weeks=cohort.checkin_every_weeks)
            if resolved_at is not None and not recurred(resolved_at, concern.latest_checkin(), now, every):
                continue
            escalation = _open(session, pair, concern, now)
            if escalation is None:  # another process opened it a moment ago: theirs is the one
                continue
            to = send(session, escalation, facilitators.get(cohort.id, []), "opened", now, decrypt=decrypt)
            record(session, escalation, APP_ACTOR, Action.OPENED, now, {"state": concern.state, "to": to})
            opened.append(escalation.id)
    return opened


def _open(session: Session, pair: Partnership, concern: Concern, now: datetime) -> Escalation | None:
    """The new escalation, or None when the database already holds an unresolved one for the pair.

    The partial unique index on unresolved escalations is what keeps two watches (two processes, or
    `circles tick` beside a running app) from alerting twice: the second insert waits for the first
    transaction and is then refused, and only its savepoint is rolled back.
    """
    escalation = Escalation(
        workspace_id=pair.workspace_id,
        cohort_id=pair.cohort_id,
        partnership_id=pair.id,
        status=EscalationStatus.OPEN,
        opened_at=now,
        sent_at=now,
        sendings=1,
        follow_ups=0,
    )
    _refresh(escalation, concern)
    try:
        with session.begin_nested():
            session.add(escalation)
    except IntegrityError:
        if not _already_unresolved(session, pair.id):
            raise  # not the race this guards against: a real fault
        return None
    return escalation


def _already_unresolved(session: Session, partnership_id: int) -> bool:
    return (
        session.scalar(
            select(Escalation.id).where(
                Escalation.partnership_id == partnership_id, Escalation.status != EscalationStatus.RESOLVED
            )
        )
        is not None
    )


def _refresh(escalation: Escalation, concern: Concern) -> None:
    escalation.state = concern.state
    escalation.reasons = [str(reason) for reason in concern.reasons]
    escalation.trend = [[str(day), str(state)] for day, state in concern.trend]


def _earlier_escalations(
    session: Session, partnership_ids: Sequence[int]
) -> dict[int, tuple[Escalation | None, datetime | None]]:
    """Per partnership: its unresolved escalation, if any, and when the last one was resolved."""
    found: dict[int, tuple[Escalation | None, datetime | None]] = {}
    rows = session.scalars(
        select(Escalation).where(Escalation.partnership_id.in_(partnership_ids)).order_by(Escalation.id)
    )
    for escalation in rows:
        unresolved, resolved_at = found.get(escalation.partnership_id, (None, None))
        if escalation.status is EscalationStatus.RESOLVED:
            moment = escalation.resolved_at or escalation.opened_at
            resolved_at = max(resolved_at, moment) if resolved_at else moment
        else:
            unresolved = escalation
        found[escalation.partnership_id] = (unresolved, resolved_at)
    return found


def _facilitators(session: Session, cohort_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not cohort_ids:
        return found
    rows = session.execute(
        select(Facilitator.cohort_id, Facilitator.slack_user_id).where(Facilitator.cohort_id.in_(cohort_ids))
    )
    for cohort_id, user_id in rows:
        found.setdefault(cohort_id, []).append(user_id)
    return found


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
