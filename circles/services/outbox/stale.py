"""Personal messages checked when claimed after they waited (for their person's window, a retry, a slow
pass), and those planned ahead of their time (a coach's idea, a circle's catch-up): what stopped being
true meanwhile never reaches anyone. A notice that a partner is away or back is dropped once the two are
no longer partners in a running pair (it ended or paused, either left, the person paused), and one that a
partner is away once the day it says they are back has passed; an idea for a coach's next session once
they have no running pair in that cohort with a partner present (not paused, not away); the catch-up of
a circle's prompt once its person is no longer in the circle; word that nobody else is left in a circle
once someone is (a re-match seated them there), or the person is no longer in it; a coach's digest keeps
only the pairs still running (naming one, for its days without a meeting or its check-ins waiting, only
while its partner is present) and the requests still waiting, and is dropped when nothing is left. At
most four statements per batch, and only when the batch holds such a message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.digests import DigestSection
from circles.domain.stale import about_partner, absence_over, still_true, waited
from circles.messages import (
    CircleAlone,
    CoachDigest,
    CoachIdea,
    MalformedPayload,
    MissedCirclePrompt,
    parse,
    stored,
)
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.circle_rooms import still_seated
from circles.queries.outbox.deferral import circle_members, supersede
from circles.queries.outbox.partners import Person, Standing, standings

NOTICES = frozenset({"partner_away", "partner_back"})
# Planned up to an hour ahead of their time: a pair can end, or a circle be left, in that hour.
PLANNED_AHEAD = frozenset({CoachIdea.TEMPLATE, MissedCirclePrompt.TEMPLATE})
CHECKED = NOTICES | {
    CoachDigest.TEMPLATE,
    CoachIdea.TEMPLATE,
    MissedCirclePrompt.TEMPLATE,
    CircleAlone.TEMPLATE,
}


def drop_stale(
    session: Session, rows: Sequence[OutboxMessage], now: datetime, *, claimed: bool = False
) -> set[int]:
    """Of these locked rows that waited, supersede those no longer true and bring digests up to date;
    returns the ids superseded. `claimed`: the rows are held by the claim asking (its sender looking again as
    their turn comes), so that claim's attempt is not one tried before."""
    theirs = {row.id: person for row in rows if (person := _person(row, now, claimed)) is not None}
    if not theirs:
        return set()
    current = standings(session, set(theirs.values()), now)
    circles = {row.id: circle for row in rows if row.id in theirs and (circle := _circle_of(row)) is not None}
    seated = circle_members(session, set(circles.values()), now)
    alone = {row.id: circle for row in rows if row.id in theirs and (circle := _alone_in(row)) is not None}
    still = still_seated(session, set(alone.values()))
    dropped: set[int] = set()
    for row in rows:
        if row.id not in theirs:
            continue
        standing = current.get(theirs[row.id], {})
        template, args = row.payload.get("template"), row.payload.get("args")
        if template in NOTICES:
            stale = not any(about_partner(template, args) in s.partners for s in standing.values())
            stale = stale or absence_over(template, args, now)  # they are back already
        elif template == CoachIdea.TEMPLATE:
            stale = not any(s.present and s.member_id == _member_of(row) for s in standing.values())
        elif template == MissedCirclePrompt.TEMPLATE:
            stale = row.id in circles and theirs[row.id] not in seated.get(circles[row.id], [])
        elif template == CircleAlone.TEMPLATE:
            stale = row.id in alone and still.get(alone[row.id], []) != [row.channel]
        else:
            stale = not _digest_still_true(row, standing)
        if stale:
            dropped.add(row.id)
    supersede(session, dropped)
    return dropped


def _digest_still_true(row: OutboxMessage, standing: dict[int, Standing]) -> bool:
    """Bring the row's digest up to what is still true; False when nothing of it is."""
    try:
        digest = parse(CoachDigest.TEMPLATE, row.payload.get("args"))
    except MalformedPayload:
        return True  # nothing to bring up to date: it fails when sent, as it would have
    assert isinstance(digest, CoachDigest)
    sections = tuple(kept for section in digest.sections for kept in _section_now(section, standing))
    if sections == digest.sections:
        return True
    if not sections:
        return False
    mute = (
        digest.member_id if digest.member_id in standing else _memberships(sections[0], standing)[0].member_id
    )
    row.payload = stored(CoachDigest(mute, digest.working_days, sections))
    return True


def _section_now(section: DigestSection, standing: dict[int, Standing]) -> tuple[DigestSection, ...]:
    """What of one cohort's part of a digest is still true: by its membership, never by the cohort's name,
    which another cohort of the person's may share."""
    mine = _memberships(section, standing)
    if not mine:
        return ()
    partners = {section.cohort_name: {p for s in mine for p in s.partners}}
    present = {section.cohort_name: {p for s in mine for p in s.present}}
    return still_true([section], partners, {section.cohort_name: sum(s.requests for s in mine)}, present)


def _memberships(section: DigestSection, standing: dict[int, Standing]) -> list[Standing]:
    """The active membership a section is about; for a digest recorded before sections named theirs, every
    one in a cohort of that name."""
    if section.member_id is not None:
        return [standing[section.member_id]] if section.member_id in standing else []
    return [s for s in standing.values() if s.cohort_name == section.cohort_name]


def _person(row: OutboxMessage, now: datetime, claimed: bool) -> Person | None:
    """The DM's person of a message checked here that waited, or was planned ahead of its time."""
    payload = row.payload if isinstance(row.payload, dict) else {}
    if payload.get("template") not in CHECKED or not row.channel:
        return None
    if payload.get("template") in PLANNED_AHEAD and _planned_for(row) is not None:
        return (row.workspace_id, row.channel)
    tried = row.attempts > (1 if claimed else 0)
    if not waited(row.deferred_from or row.due_at, row.deferred_from is not None, tried, now):
        return None
    return (row.workspace_id, row.channel)


def _planned_for(row: OutboxMessage) -> int | None:
    """The membership or circle a message planned ahead names in its key; None for a key of another shape
    (a row recorded otherwise), which is sent as recorded unless it waited."""
    return _member_of(row) if (row.payload or {}).get("template") == CoachIdea.TEMPLATE else _circle_of(row)


def _member_of(row: OutboxMessage) -> int | None:
    """A coach's idea's membership, from its key coach_idea:{member_id}:{day}."""
    parts = row.idempotency_key.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None


def _circle_of(row: OutboxMessage) -> int | None:
    """A catch-up's circle, from its key circle_prompt_catch_up:{circle_id}:{member_id}:{day}."""
    if (row.payload or {}).get("template") != MissedCirclePrompt.TEMPLATE:
        return None
    parts = row.idempotency_key.split(":")
    return int(parts[1]) if len(parts) > 3 and parts[1].isdigit() else None


def _alone_in(row: OutboxMessage) -> int | None:
    """The circle of word that nobody else is left in it, from its key
    circle:{circle_id}:exit:{member_id}:{seated}:alone:{user}."""
    if (row.payload or {}).get("template") != CircleAlone.TEMPLATE:
        return None
    parts = row.idempotency_key.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[0] == "circle" and parts[1].isdigit() else None
