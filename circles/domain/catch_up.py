"""One catch-up after an absence (pure): when a person's away block ends, the latest of what they missed.

On their return, and only if something fell while they were away:

- for each partnership of theirs, one check-in, if at least one of their check-ins fell inside the
  absence; none when their next regular check-in comes within CATCH_UP_GAP of the return (that one is it);
- for their circle, the latest circle prompt that fell while they were away, privately in their DM.

Never one per missed occurrence, never the backlog. Each key names the latest occurrence missed, so the
same return planned again (by another replica, or after the return date moved) still gives one; and a
check-in catch-up is dropped when a check-in of its pair already reached the person since the return
(`caught_up_already`: one held while they were away, released as they came back early, went first). Blocks
that touch or overlap are one absence. Nothing comes on a blackout date: a return that falls on one has
its catch-up on the first day after the blackout, at the cohort's prompt time (in the person's time zone
for a check-in, as check-ins are; in the cohort's for a circle prompt), unless the cohort has ended by then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from circles.domain.blackouts import blacked_out, track_position
from circles.domain.delivery import Unsent, kind_of
from circles.domain.planning import CohortIn, Person, Planned, nth, pair_on, prompt_args
from circles.domain.schedule import Occurrence, Timing, Window, local_instant, next_occurrence, occurrences

CATCH_UP_GAP = timedelta(days=2)
TEMPLATE = "circle_prompt_catch_up"
BACK = "back"  # a check-in catch-up's key: checkin:{partnership}:{member}:back:{latest day missed}
JUST_BEFORE = timedelta(microseconds=1)
# How long a catch-up can wait for a blackout to end: the longest blackout a facilitator can set. Planning
# never reads away blocks over by more than this before its window (see plan_due.blocks_read).
LONGEST_WAIT = timedelta(days=92)


def catch_ups(cohort: CohortIn, window: Window) -> list[Planned]:
    """The catch-ups of everyone of the cohort who comes back inside the window."""
    return [*_checkins(cohort, window), *_circle_prompts(cohort, window)]


def returns(
    cohort: CohortIn, person: Person, window: Window, timezone: str
) -> list[tuple[datetime, datetime, datetime]]:
    """The absences this person comes back from, present on return, whose catch-up falls inside the
    window: (from, back at, catch-up at)."""
    merged: list[tuple[datetime, datetime]] = []
    for start, back in sorted(person.away):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], back))
        else:
            merged.append((start, back))
    found = []
    for start, back in merged:
        at = catch_up_at(cohort, back, timezone)
        if at is not None and window.timing(at) is not None and person.present_at(back):
            found.append((start, back, at))
    return found


def catch_up_at(cohort: CohortIn, back: datetime, timezone: str) -> datetime | None:
    """When the catch-up of a return at `back` goes: then, or when that is a blackout date (in `timezone`),
    at the cohort's prompt time on the first day after the blackout; None once the cohort has ended."""
    cadence, at = cohort.cadence, back
    day = back.astimezone(ZoneInfo(timezone)).date()
    while covering := [b for b in cohort.blackouts if b.covers(day)]:
        day = max(b.last for b in covering) + timedelta(days=1)
        at = local_instant(day, cadence.local_time, timezone)
    return None if cadence.ends_on is not None and day > cadence.ends_on else at


def upcoming_catch_ups(cohort: CohortIn, after: datetime) -> list[datetime]:
    """The instants after `after` at which someone's catch-up could fall (planning wakes for them)."""
    zone = cohort.cadence.timezone
    people = [(p, p.timezone) for pair in cohort.pairs for p in (pair.first, pair.second)]
    people += [(p, zone) for circle in cohort.circles for p in circle.people]
    found = (catch_up_at(cohort, back, timezone) for person, timezone in people for _, back in person.away)
    return [at for at in found if at is not None and at > after]


def _checkins(cohort: CohortIn, window: Window) -> list[Planned]:
    cadence, planned = cohort.cadence, []
    every = cadence.checkin_every_weeks
    for pair in cohort.pairs:
        for person, partner in ((pair.first, pair.second), (pair.second, pair.first)):
            for start, back, at in returns(cohort, person, window, person.timezone):
                if not pair_on(pair, back):
                    continue
                during = occurrences(
                    cadence,
                    Window(start, start, back - JUST_BEFORE),
                    timezone=person.timezone,
                    every_weeks=every,
                    skip=1,
                )
                missed = _fell(cohort, during, pair.started_at)
                upcoming = next_occurrence(
                    cadence, at - JUST_BEFORE, timezone=person.timezone, every_weeks=every, skip=1
                )
                if not missed or (
                    upcoming is not None
                    and upcoming - at < CATCH_UP_GAP
                    and not _closed(cohort, upcoming, person.timezone)
                ):
                    continue
                timing = window.timing(at)
                assert timing is not None
                key = f"checkin:{pair.partnership_id}:{person.member_id}:{BACK}:{missed[-1].day}"
                args = {"checkin_id": None, "cohort_name": cohort.name, "partner_user_id": partner.user_id}
                checkin = (pair.partnership_id, person.member_id) if timing is Timing.DUE else None
                planned.append(
                    Planned(cohort.workspace_id, key, person.user_id, "checkin", args, at, timing, checkin)
                )
    return planned


def _circle_prompts(cohort: CohortIn, window: Window) -> list[Planned]:
    if not cohort.circle_prompts:
        return []
    planned = []
    for circle in cohort.circles:
        for person in circle.people:
            for start, back, at in returns(cohort, person, window, cohort.cadence.timezone):
                during = occurrences(cohort.cadence, Window(start, start, back - JUST_BEFORE))
                prompted = [w for w in during if any(p.present_at(w.at) for p in circle.people)]
                missed = _fell(cohort, prompted, circle.created_at)
                if not missed:
                    continue
                latest = missed[-1]
                position = track_position(cohort.cadence, cohort.blackouts, latest)
                args = prompt_args(cohort, nth(cohort.circle_prompts, position - 1), latest)
                key = f"{TEMPLATE}:{circle.circle_id}:{person.member_id}:{latest.day}"
                timing = window.timing(at)
                assert timing is not None
                planned.append(Planned(cohort.workspace_id, key, person.user_id, TEMPLATE, args, at, timing))
    return planned


def is_checkin_catch_up(key: str) -> bool:
    """Whether an outbox key is a return's check-in catch-up."""
    parts = key.split(":")
    return len(parts) == 5 and parts[0] == "checkin" and parts[3] == BACK


def caught_up_already(catch_ups: Iterable[Unsent], went: Iterable[tuple[Unsent, datetime]]) -> set[int]:
    """Ids of the check-in catch-ups (first due at their return) with a check-in of the same pair and person
    that went at or after that return: (message, when it went) in `went`. That one was their catch-up."""
    gone: dict[tuple[object, ...], datetime] = {}
    for message, at in went:
        kind = kind_of(message)
        gone[kind] = max(at, gone.get(kind, at))
    return {c.id for c in catch_ups if (last := gone.get(kind_of(c))) is not None and last >= c.first_due}


def _fell(cohort: CohortIn, during: Sequence[Occurrence], since: datetime) -> list[Occurrence]:
    """The occurrences that would have come: from `since`, and not on a blackout date."""
    return [o for o in during if o.at >= since and not blacked_out(cohort.blackouts, o.day)]


def _closed(cohort: CohortIn, at: datetime, timezone: str) -> bool:
    """Nothing is sent then: a blackout date, or after the cohort's end."""
    day = at.astimezone(ZoneInfo(timezone)).date()
    ended = cohort.cadence.ends_on is not None and day > cohort.cadence.ends_on
    return ended or blacked_out(cohort.blackouts, day)
