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

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.escalations import (
    APP_ACTOR,
    NEEDS_ATTENTION,
    STRUGGLING,
    Action,
    calls_for_facilitators,
    recurred,
)
from circles.domain.vocabulary import EscalationStatus
from circles.messages import SharedNote
from circles.persistence.db import Session
from circles.persistence.models import Escalation, Partnership
from circles.queries.cohorts import facilitators_by_cohort
from circles.queries.escalations import escalations_of, open_once
from circles.queries.partnerships import unended_with_cohorts
from circles.services.escalations.cards import record, send
from circles.services.escalations.follow_up import Admins, follow_up_unclaimed, send_to_admins
from circles.services.escalations.notes import Decrypt, shared_notes

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
    session: Session,
    concerns: Iterable[Concern],
    now: datetime,
    *,
    decrypt: Decrypt | None = None,
    admins: Admins = (),
) -> list[int]:
    """Open an escalation for each partnership that calls for its facilitators; returns the new ids.

    Each one records an audit event and one private DM per facilitator of the cohort, in the caller's
    transaction. `decrypt` opens the notes partners shared; without it the alert carries no notes.
    When no facilitator may have it (none yet, or the only ones are the pair's own partners), the
    `admins` hear at once, without the notes, rather than nobody.
    """
    worrying = {c.partnership_id: c for c in concerns if c.state in (STRUGGLING, NEEDS_ATTENTION)}
    opened: list[int] = []
    for chunk in _chunks(sorted(worrying)):
        pairs = unended_with_cohorts(session, chunk)
        earlier = _earlier_escalations(session, chunk)
        facilitators = facilitators_by_cohort(session, {cohort.id for _, cohort in pairs})
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
            if not to:
                send_to_admins(session, escalation, admins, (), now)
            opened.append(escalation.id)
    return opened


def _open(session: Session, pair: Partnership, concern: Concern, now: datetime) -> Escalation | None:
    """The new escalation, or None when another process opened one for the pair a moment ago."""
    # Open, sent once and never followed up yet: the model's defaults for a new escalation.
    escalation = Escalation(
        workspace_id=pair.workspace_id,
        cohort_id=pair.cohort_id,
        partnership_id=pair.id,
        opened_at=now,
        sent_at=now,
    )
    _refresh(escalation, concern)
    return open_once(session, escalation)


def _refresh(escalation: Escalation, concern: Concern) -> None:
    escalation.state = concern.state
    escalation.reasons = [str(reason) for reason in concern.reasons]
    escalation.trend = [[str(day), str(state)] for day, state in concern.trend]


def _earlier_escalations(
    session: Session, partnership_ids: Sequence[int]
) -> dict[int, tuple[Escalation | None, datetime | None]]:
    """Per partnership: its unresolved escalation, if any, and when the last one was resolved."""
    found: dict[int, tuple[Escalation | None, datetime | None]] = {}
    for escalation in escalations_of(session, partnership_ids):
        unresolved, resolved_at = found.get(escalation.partnership_id, (None, None))
        if escalation.status is EscalationStatus.RESOLVED:
            moment = escalation.resolved_at or escalation.opened_at
            resolved_at = max(resolved_at, moment) if resolved_at else moment
        else:
            unresolved = escalation
        found[escalation.partnership_id] = (unresolved, resolved_at)
    return found


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
