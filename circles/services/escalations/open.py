"""Open a private escalation to a cohort's facilitators when a partnership's health calls for them.

One escalation per partnership at a time: while one is open, claimed or snoozed, a new concern only
refreshes what it shows (its reasons, state and trend), and nothing is sent. A snooze that has run out is
brought back by `follow_up_unclaimed` (circles.services.escalations.follow_up), with the refreshed
reasons, rather than opened a second time. After a resolution, the same partnership opens a new one
only on newer evidence: a check-in answered since, a change of health, or a whole check-in period
(see circles.domain.escalations.recurred).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

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
from circles.queries.escalations import escalations_of, open_all
from circles.queries.partnerships import unended_with_cohorts
from circles.services.escalations.cards import record_each
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.notes import Decrypt, shared_notes
from circles.services.escalations.sending import Admins, Sending, send_all, tell, to_admins

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
    answered_at: datetime | None = None  # the pair's newest check-in answer, if any

    def changed_on(self) -> date | None:
        """The day health last changed state or reasons (its trend's last point), if it can be read."""
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
        wanted: list[dict[str, Any]] = []
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
            if resolved_at is not None and not recurred(
                resolved_at, concern.changed_on(), now, every, concern.answered_at
            ):
                continue
            wanted.append(_new(pair, concern, now))
        # A pair another process opened an escalation for a moment ago is left out: theirs is the one.
        new = open_all(session, wanted)
        sendings = [Sending(e, facilitators.get(e.cohort_id, []), "opened") for e in new]
        sent = dict(zip([e.id for e in new], send_all(session, sendings, now, decrypt=decrypt), strict=True))
        details = [(e, {"state": worrying[e.partnership_id].state, "to": sent[e.id]}) for e in new]
        record_each(session, details, APP_ACTOR, Action.OPENED, now)
        unheard = [(to_admins(e, admins, ()), Action.SENT_TO_ADMINS) for e in new if not sent[e.id]]
        tell(session, unheard, now, decrypt=None)
        opened += [escalation.id for escalation in new]
    return opened


def _new(pair: Partnership, concern: Concern, now: datetime) -> dict[str, Any]:
    """A new escalation's row: open, sent once and never followed up yet, looked at again as it is sent."""
    return {
        "workspace_id": pair.workspace_id,
        "cohort_id": pair.cohort_id,
        "partnership_id": pair.id,
        "status": EscalationStatus.OPEN,
        "opened_at": now,
        "sent_at": now,
        "follow_up_at": now,
        **_shown(concern),
    }


def _refresh(escalation: Escalation, concern: Concern) -> None:
    for name, value in _shown(concern).items():
        setattr(escalation, name, value)


def _shown(concern: Concern) -> dict[str, Any]:
    """What an escalation shows of the concern: its state, reasons and trend."""
    return {
        "state": concern.state,
        "reasons": [str(reason) for reason in concern.reasons],
        "trend": [[str(day), str(state)] for day, state in concern.trend],
    }


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
