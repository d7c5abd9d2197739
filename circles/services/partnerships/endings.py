"""The one way a partnership ends: its status, reason and time, its alert to facilitators resolved, and
its conversation starters already planned dropped.

Every route (a partner's form, a facilitator, leaving the cohort, the cohort's end date) ends pairs here,
in its own transaction, so an escalation never stays unresolved for a pair that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from circles.domain.requests import remaining_capacity
from circles.domain.schedule import over_everywhere
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Partnership
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.rows import planned_pair_prompts
from circles.queries.partnerships import complete_past_end_date, guided_counts
from circles.queries.partnerships.endings import Completed, completed_at_end, guides_of_completable, reopen
from circles.queries.profiles import capacities
from circles.queries.rounds import hold_guides
from circles.services.escalations.ended import resolve_ended


def end_partnerships(
    session: Session, pairs: Iterable[Partnership], reason: EndReason, now: datetime
) -> None:
    """End these partnerships for this reason now, and resolve their unresolved escalations as ended; the
    conversation starters already planned for them are not sent."""
    ended = []
    for pair in pairs:
        pair.status, pair.end_reason, pair.ended_at = PartnershipStatus.ENDED, reason, now
        ended.append(pair.id)
    resolve_ended(session, ended, now)
    supersede(session, planned_pair_prompts(session, ended))


def complete_finished_cohorts(session: Session, now: datetime) -> int:
    """Partnerships still running when their cohort's end date has passed end as completed; how many. As
    for any ending, their conversation starters still waiting to go are not sent."""
    completed = complete_past_end_date(session, now)
    resolve_ended(session, completed, now)
    supersede(session, planned_pair_prompts(session, completed))
    return len(completed)


@dataclass(frozen=True)
class KeptCompleted:
    """A coach's or mentor's pairs that stay completed though their cohort's end moved later: they have no
    room left for them (their learners, by Slack user ID)."""

    guide: str
    learners: tuple[str, ...]


def hold_guides_for_end(session: Session, cohort: Cohort, ends_on: date | None) -> None:
    """Before the cohort is held to change it: hold the profiles of `guides_for_end`, as an accepted request
    or a round's confirmation holds a guide's profile before the cohort; whoever else gives out their places
    meanwhile takes turns with the pairs carrying on."""
    hold_guides(session, cohort.workspace_id, guides_for_end(session, cohort, ends_on))


def guides_for_end(session: Session, cohort: Cohort, ends_on: date | None) -> list[str]:
    """When `ends_on` moves the cohort's end later, the coaches and mentors of its pairs running or completed:
    those whose places the pairs carrying on take (none otherwise)."""
    return guides_of_completable(session, cohort.id) if _later(cohort.ends_on, ends_on) else []


def carry_on_if_extended(
    session: Session, cohort: Cohort, old_end: date | None, now: datetime
) -> list[KeptCompleted]:
    """The cohort's end moved later (or went) after its pairs were completed at the old one: they run again,
    but for those a partner left, and one a partner had paused stays paused. Each guide gets back only as
    many as they have room for (a guide who never said how many has no limit; peers always carry on); the
    guides whose other pairs stay completed. Pairs ended any other way stay ended."""
    if not _later(old_end, cohort.ends_on) or (
        cohort.ends_on is not None and over_everywhere(cohort.ends_on, now)
    ):
        return []
    pairs = completed_at_end(session, cohort.id)
    guides = sorted({pair.guide for pair in pairs if pair.guide is not None})
    # Held already by `hold_guides_for_end`, in order, unless another save moved the end meanwhile.
    hold_guides(session, cohort.workspace_id, guides)
    said = capacities(session, cohort.workspace_id, guides)
    taken = guided_counts(session, cohort.workspace_id, guides)
    room: dict[str, int | None] = {}
    for guide in guides:
        capacity = said.get(guide)
        room[guide] = None if capacity is None else remaining_capacity(capacity, taken.get(guide, 0))
    back, kept = _within_room(pairs, room)
    reopen(session, back, now)
    return kept


def _later(old_end: date | None, new_end: date | None) -> bool:
    """Whether the end moves later, or goes."""
    return old_end is not None and (new_end is None or new_end > old_end)


def _within_room(
    pairs: list[Completed], room: dict[str, int | None]
) -> tuple[list[Completed], list[KeptCompleted]]:
    """The pairs that fit in their guides' room (None: no limit), those that were running before those a
    partner had paused, then the earliest begun first, as the guide took them on; and the rest, by guide."""
    back: list[Completed] = []
    kept: dict[str, list[Completed]] = {}
    left = dict(room)
    for pair in sorted(pairs, key=lambda pair: (pair.paused, pair.started_at, pair.id)):
        places = None if pair.guide is None else left[pair.guide]
        if pair.guide is not None and places is not None:
            if places <= 0:
                kept.setdefault(pair.guide, []).append(pair)
                continue
            left[pair.guide] = places - 1
        back.append(pair)
    return back, [
        KeptCompleted(guide, tuple(pair.learner for pair in sorted(theirs, key=lambda pair: pair.id)))
        for guide, theirs in sorted(kept.items())
    ]
