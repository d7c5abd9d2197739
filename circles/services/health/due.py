"""When each partnership's health is next looked at, and which are due now: indexed and set-based.

A signal (an answer, a pause or resume, new cohort settings, a resolved escalation) marks its
partnership with `look_now` in the signal's own transaction. A check-in, however it was written
(planned ahead, or made by `/circles checkin`), is seen once it falls due by its `health_pending`
flag. Each look stores the pair's state and the next instant time alone may change its health, so
a tick with nothing due asks the database two indexed questions, however many pairs there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from circles.domain.health import CONCERNED
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.queries import escalations
from circles.queries.health import due
from circles.queries.ids import chunks as chunks  # watches recompute what is due in these chunks

if TYPE_CHECKING:  # health reads cohorts, whose settings mark pairs due here: no import at run time
    from circles.services.health.recompute import PartnershipHealth


def look_now(session: Session, partnership_ids: Iterable[int], now: datetime) -> None:
    """A new signal: these partnerships' health is looked at by the first watch from `now` on."""
    due.look_no_later_than(session, sorted(set(partnership_ids)), now)


def look_at_person(session: Session, workspace_id: int, user_id: str, now: datetime) -> None:
    """Someone went away or came back: each of their partnerships' health is looked at from `now` on."""
    due.look_at_pairs_of_person(session, workspace_id, user_id, now)


def look_at_cohort(session: Session, cohort_id: int, now: datetime) -> None:
    """New settings: every pair of the cohort is looked at again, and its unanswered alerts' follow-ups."""
    due.look_at_active_of_cohort(session, cohort_id, now)
    escalations.follow_up_cohort_at(session, cohort_id, now)


def take_due(session: Session, now: datetime) -> list[int]:
    """The active partnerships whose health is due at `now`, by id; on PostgreSQL held by this pass.

    Check-ins that fell due since the last look first mark their partnerships. A watch running beside
    this one at the same moment skips the pairs this one holds (it will find them settled).
    """
    _see_new_checkins(session, now)
    return due.take_due_partnerships(session, now)


def take_all(session: Session, now: datetime) -> list[int]:
    """Every active partnership, due or not: the full recompute kept for repairs."""
    _see_new_checkins(session, now)
    return due.active_partnerships(session)


def settle(
    session: Session, now: datetime, looked_at: Sequence[int], health: list[PartnershipHealth]
) -> None:
    """Store each recomputed pair's state and next due time; pairs not recomputed wait for a signal.

    A pair waiting for a partner's return is next due at that return, when it may call for help."""
    again = _recurrences(session, [h.partnership_id for h in health if h.state in CONCERNED], now)
    due.store_looks(
        session,
        [
            (h.partnership_id, h.state, h.waits_until or _soonest(h.next_change, again.get(h.partnership_id)))
            for h in health
        ],
    )
    recomputed = {h.partnership_id for h in health}
    # Paused, ended, in an archived cohort, or an odd row: nothing to look at until a signal.
    due.stop_looking(session, [pair for pair in looked_at if pair not in recomputed])


def counts(session: Session) -> tuple[int, int]:
    """How many partnerships are watched (active), and how many of them need care, from stored states."""
    return due.counts(session)


def _see_new_checkins(session: Session, now: datetime) -> None:
    look_now(session, due.take_fallen_due_checkins(session, now), now)


def _recurrences(session: Session, concerned: list[int], now: datetime) -> dict[int, datetime]:
    """When a resolved concern may be raised again without new evidence, for pairs with none unresolved."""
    found: dict[int, datetime] = {}
    unresolved: set[int] = set()
    for concern in escalations.concerns_of(session, sorted(concerned)):
        pair = concern.partnership_id
        if concern.status is not EscalationStatus.RESOLVED:
            unresolved.add(pair)
            continue
        again = (concern.resolved_at or concern.opened_at) + timedelta(weeks=concern.checkin_every_weeks)
        if again > now and (pair not in found or again > found[pair]):
            found[pair] = again
    return {pair: at for pair, at in found.items() if pair not in unresolved}


def _soonest(*moments: datetime | None) -> datetime | None:
    return min((m for m in moments if m is not None), default=None)
