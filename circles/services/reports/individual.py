"""Per-partnership rows for a cohort's facilitators: who, how they are doing, and only shared notes."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from circles.notes import NoteUnreadable
from circles.queries.reports.facts import CheckInFact, HealthFact, PartnershipFact
from circles.services.reports.outcomes import NOT_ASSESSED
from circles.services.reports.rows import PartnershipRow
from circles.services.reports.weeks import local_day

logger = logging.getLogger(__name__)

Decrypt = Callable[[bytes], str]
SharedNote = tuple[int, datetime, int, bytes]  # partnership, when, author, sealed note: a facts.SharedNote
ERASED_MEMBER = "erased member"  # in place of someone erased, in the partnerships they had begun by then


def partnership_rows(
    partnerships: Sequence[PartnershipFact],
    checkins: Sequence[CheckInFact],
    health: Sequence[HealthFact],
    users: dict[int, str],
    notes: dict[int, tuple[str, ...]],
    now: datetime,
    timezone: str,
    erased: Mapping[int, datetime] | None = None,
    unavailable: Mapping[int, int] | None = None,
) -> tuple[PartnershipRow, ...]:
    """One row per partnership, by id; `health` in time order, `notes` already opened and shared.

    A member in `erased` (member id → when they were erased) is named as erased in the pairs they had
    begun by then. `unavailable` counts, by partnership, the shared notes that did not open.
    """
    latest: dict[int, HealthFact] = {}
    for change in health:
        if change.computed_at <= now:
            latest[change.partnership_id] = change
    due, answered = defaultdict[int, int](int), defaultdict[int, int](int)
    ratings: dict[tuple[int, int], tuple[datetime, int]] = {}
    for checkin in checkins:
        if not checkin.asked_by(now):
            continue
        due[checkin.partnership_id] += 1
        if checkin.answered_at is None or checkin.answered_at > now:
            continue
        answered[checkin.partnership_id] += 1
        key = (checkin.partnership_id, checkin.member_id)
        if checkin.rating is not None and (key not in ratings or ratings[key][0] <= checkin.due_at):
            ratings[key] = (checkin.due_at, checkin.rating)
    rows = []
    for pair in partnerships:
        record = latest.get(pair.id)
        first, second = (
            ratings.get((pair.id, member)) for member in (pair.first_member_id, pair.second_member_id)
        )
        rows.append(
            PartnershipRow(
                partnership_id=pair.id,
                kind=pair.kind,
                first_user_id=_named(pair, pair.first_member_id, users, erased or {}),
                second_user_id=_named(pair, pair.second_member_id, users, erased or {}),
                status=pair.status,
                end_reason=pair.end_reason,
                started_on=local_day(pair.started_at, timezone),
                ended_on=local_day(pair.ended_at, timezone) if pair.ended_at else None,
                state=record.state.value if record else NOT_ASSESSED,
                reasons=record.reasons if record else (),
                checkins_due=due[pair.id],
                checkins_answered=answered[pair.id],
                first_latest_rating=first[1] if first else None,
                second_latest_rating=second[1] if second else None,
                shared_notes=notes.get(pair.id, ()),
                notes_unavailable=(unavailable or {}).get(pair.id, 0),
            )
        )
    return tuple(rows)


def _named(
    pair: PartnershipFact, member_id: int, users: dict[int, str], erased: Mapping[int, datetime]
) -> str:
    """The member's Slack ID in this pair, or that they were erased if the pair began before that."""
    erased_at = erased.get(member_id)
    if erased_at is not None and pair.started_at < erased_at:
        return ERASED_MEMBER
    return users.get(member_id, "")


class OpenedNotes(NamedTuple):
    """Shared notes in plain words by partnership, and how many of each partnership's did not open."""

    notes: dict[int, tuple[str, ...]]
    unavailable: dict[int, int]


def opened_notes(
    notes: Sequence[SharedNote], users: dict[int, str], decrypt: Decrypt, timezone: str
) -> dict[int, tuple[str, ...]]:
    """Shared notes in plain words, oldest first per partnership; a note that no longer opens is left out
    (`read_notes` counts it)."""
    return read_notes(notes, users, decrypt, timezone).notes


def read_notes(
    notes: Sequence[SharedNote], users: dict[int, str], decrypt: Decrypt, timezone: str
) -> OpenedNotes:
    """Shared notes in plain words, oldest first per partnership, and those that no longer open counted.

    A changed key must not stop the report, nor a lost note read as no note: it is counted for its row to
    show as unavailable, and the count logged once (never whose note it is, nor a word of it).
    """
    opened: dict[int, list[str]] = defaultdict(list)
    unavailable: dict[int, int] = defaultdict(int)
    for partnership_id, at, member_id, token in notes:
        try:
            text = decrypt(token).strip()
        except NoteUnreadable:
            unavailable[partnership_id] += 1
            continue
        if text:
            opened[partnership_id].append(
                f"{local_day(at, timezone).isoformat()} {users.get(member_id, '')}: {text}"
            )
    if unavailable:
        logger.warning(
            "%d shared check-in note(s) could not be opened; shown as unavailable in the report",
            sum(unavailable.values()),
        )
    return OpenedNotes({pair: tuple(texts) for pair, texts in opened.items()}, dict(unavailable))
