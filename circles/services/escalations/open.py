"""Open a private escalation to a cohort's facilitators when a partnership's health calls for them.

One escalation per partnership at a time: while one is open, claimed or snoozed, each look at the pair only
refreshes what it shows (its reasons, state and trend), whatever its state now (a pair that recovered
too), and nothing is sent. A snooze that has run out is brought back by `follow_up_unclaimed`
(circles.services.escalations.follow_up), with the refreshed reasons, rather than opened a second time.
After a resolution, the same partnership opens a new one only on newer evidence: a check-in answered
since, a change of health, or a whole check-in period (see circles.domain.escalations.recurred).
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
from circles.queries.cohorts import reachable_facilitators
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
    When no facilitator may have it (none yet, the only ones are the pair's own partners, or each has left
    Slack or is away now: `reachable_facilitators`), the `admins` hear at once, without the notes, rather
    than nobody. An unresolved escalation of any of these partnerships, whatever its state now, shows the
    concern instead: the next copy sent of it (a reminder, the end of a snooze, the admins') and the next
    redraw say how the pair stands now.
    """
    given = {c.partnership_id: c for c in concerns}
    opened: list[int] = []
    for chunk in _chunks(sorted(given)):
        # One read per chunk finds both the alerts to refresh and what decides whether to open one.
        earlier = _earlier_escalations(session, chunk)
        worrying: dict[int, Concern] = {}
        for partnership_id in chunk:
            concern = given[partnership_id]
            unresolved, _ = earlier.get(partnership_id, (None, None))
            if unresolved is not None:
                _refresh(unresolved, concern)
            elif concern.state in (STRUGGLING, NEEDS_ATTENTION):
                worrying[partnership_id] = concern
        if worrying:
            opened += _open(session, worrying, earlier, now, decrypt, admins)
    return opened


def _open(
    session: Session,
    worrying: dict[int, Concern],
    earlier: dict[int, tuple[Escalation | None, datetime | None]],
    now: datetime,
    decrypt: Decrypt | None,
    admins: Admins,
) -> list[int]:
    """Open one for each of these pairs, none of which has an unresolved one, that calls for it now."""
    pairs = unended_with_cohorts(session, sorted(worrying))
    facilitators = reachable_facilitators(session, {cohort.id for _, cohort in pairs}, now)
    wanted: list[dict[str, Any]] = []
    for pair, cohort in pairs:
        concern = worrying[pair.id]
        thresholds = HealthThresholds.from_json(cohort.health_thresholds)
        if not calls_for_facilitators(concern.state, concern.attention_streak, thresholds):
            continue
        _, resolved_at = earlier.get(pair.id, (None, None))
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
    return [escalation.id for escalation in new]


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
    """Show the concern on the pair's unresolved escalation, whatever its state now."""
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
