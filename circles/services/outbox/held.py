"""What a person's held messages wait for changed (their time zone, working hours or away blocks): the
personal messages held for their next window are brought forward to now, so that the next claim works that
window out again (`deferral`). A return earlier than planned releases them then, beside the return's
catch-up, which supersedes what it replaces; a later one holds them again. A held check-in question's
answer window counts from now (while held, it counted from the time it was held until)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.planning import zone_for
from circles.domain.schedule import same_hour_elsewhere
from circles.persistence.db import Session
from circles.queries.checkins import ask_later
from circles.queries.members.person import membership_zones
from circles.queries.outbox.rows import bring_held_forward, move_due, planned_ahead_for
from circles.services.outbox.checkins import checkin_of

# What the planner puts at the person's own hour (their zone's 9:00, say).
FOLLOW_THE_CLOCK = ("checkin", "coach_idea", "circle_prompt_catch_up")


def reconsider_held(session: Session, workspace_id: int, user_ids: Sequence[str], now: datetime) -> None:
    """Bring these people's held messages forward to now: a statement per 900 people (a rota's import),
    and one more when held check-in questions are among them."""
    if isinstance(user_ids, str):  # one person is a list of one, never the letters of their ID
        raise TypeError("user_ids: a sequence of Slack user IDs")
    moved = bring_held_forward(session, workspace_id, user_ids, now)
    ask_later(session, [(checkin, now) for payload in moved if (checkin := checkin_of(payload)) is not None])


def follow_new_zone(
    session: Session, workspace_id: int, user_id: str, zones: tuple[str | None, str | None], now: datetime
) -> None:
    """Their check-ins, session ideas and catch-ups already planned at an hour of the zone the planner used
    for them come at that hour of the one it uses now, never before now, their questions asked then: the
    planner, planning them again, finds their keys taken. `zones` are their own, old and new; the planner
    reads one it cannot use (none, blank, unknown here) as their cohort's (`zone_for`), so a row whose
    clock stays the same stays. Three statements, and one more for check-ins."""
    planned = planned_ahead_for(
        session, workspace_id, user_id, [f"{kind}:" for kind in FOLLOW_THE_CLOCK], now
    )
    if not planned:
        return
    cohort_zones = membership_zones(session, workspace_id, user_id)
    moves = []
    for row_id, due, key, _ in planned:
        member_id = _member_of(key)
        cohort_zone = cohort_zones.get(member_id) if member_id is not None else None
        if cohort_zone is None:
            continue  # a key of another shape: when the planner wrote it is not known
        old, new = (zone_for(own, cohort_zone) for own in zones)
        if old != new:
            moves.append((row_id, max(now, same_hour_elsewhere(due, old, new))))
    move_due(session, moves)
    asked = dict(moves)
    ask_later(
        session,
        [
            (checkin, asked[row_id])
            for row_id, _, _, payload in planned
            if row_id in asked and (checkin := checkin_of(payload)) is not None
        ],
    )


def _member_of(key: str) -> int | None:
    """The membership a message planned at its person's hour was planned for, from its key: a check-in
    (checkin:{pair}:{member}:…), a session idea (coach_idea:{member}:…), a catch-up
    (circle_prompt_catch_up:{circle}:{member}:…)."""
    parts = key.split(":")
    at = 1 if parts[0] == "coach_idea" else 2
    return int(parts[at]) if len(parts) > at and parts[at].isascii() and parts[at].isdigit() else None
