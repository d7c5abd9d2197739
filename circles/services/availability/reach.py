"""Read when people can be reached, as the domain's `Reach`, for many people in a fixed few queries."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from circles.domain.availability import Absence, AbsenceKind, QuietHours, Reach, WorkPattern, away_until
from circles.domain.availability.absence import BLOCKS
from circles.domain.availability.quiet import NAMES, parse_quiet_hours
from circles.domain.planning import zone_for
from circles.persistence.db import Session
from circles.queries.availability import Person, StoredReach, stored_reach


def reaches(session: Session, people: Collection[Person], now: datetime) -> dict[Person, Reach]:
    """Each person's reachability as of `now` (absences over by then are left out)."""
    return {person: as_reach(stored) for person, stored in stored_reach(session, people, now).items()}


@dataclass
class Reaches:
    """People's reachability for messages about one cohort or another: someone Slack gave no time zone is
    reached by the clock of the message's cohort, the one it was planned by (`of`)."""

    stored: dict[Person, StoredReach]
    _found: dict[tuple[Person, int | None], Reach] = field(default_factory=dict)

    def of(self, person: Person, cohort_id: int | None = None) -> Reach:
        """The person's reach for a message about `cohort_id` (None: about no cohort in particular)."""
        if (key := (person, cohort_id)) not in self._found:
            self._found[key] = as_reach(self.stored[person], cohort_id)
        return self._found[key]

    def cohort_of_membership(self, person: Person, member_id: int) -> int | None:
        return self.stored[person].member_cohorts.get(member_id)


def reaches_by_cohort(session: Session, people: Collection[Person], now: datetime) -> Reaches:
    """What `reaches` reads, for messages each about a cohort of their person's."""
    return Reaches(stored_reach(session, people, now))


def as_reach(stored: StoredReach, cohort_id: int | None = None) -> Reach:
    """The domain's view of what is stored: the person's own time zone, else that of the cohort named (the
    message's) unless they set hours of their own (those are in the zone Home shows them in), else of
    their first cohort; the person's own quiet hours, else every quiet hour any of their cohorts keeps (a
    message to them may concern any of those cohorts), which give way inside a shift of theirs they would
    cover whole (`circles.domain.availability.cover`)."""
    own_hours = stored.work_pattern is not None or stored.own_quiet_hours is not None
    cohort_zone = stored.cohort_zones.get(cohort_id) if cohort_id is not None and not own_hours else None
    return Reach(
        zone_for(stored.timezone, cohort_zone or stored.cohort_timezone or "UTC"),
        quiet_hours_of(stored),
        WorkPattern.from_json(stored.work_pattern),
        absences_of(stored),
        cohorts_quiet=stored.own_quiet_hours is None,
    )


def quiet_hours_of(stored: StoredReach) -> QuietHours:
    if stored.own_quiet_hours is not None:
        return parse_quiet_hours(stored.own_quiet_hours)
    chosen = [parse_quiet_hours(text) for text in stored.cohort_quiet_hours]
    if not chosen:
        return parse_quiet_hours(None)
    return QuietHours(**{name: any(getattr(q, name) for q in chosen) for name in NAMES})


def absences_of(stored: StoredReach) -> tuple[Absence, ...]:
    found = [Absence(start, end, kind) for start, end, kind in stored.blocks]
    if stored.status_away is not None:
        found.append(Absence(*stored.status_away, AbsenceKind.STATUS))
    if stored.dnd_until is not None:
        found.append(
            Absence(datetime.min.replace(tzinfo=stored.dnd_until.tzinfo), stored.dnd_until, AbsenceKind.DND)
        )
    return tuple(found)


def away_day(session: Session, workspace_id: int, user_id: str, now: datetime) -> date | None:
    """The local date a person away at `now` (their own time away, a rotation or leave: the blocks that
    hold check-ins) is back, or None when none holds them."""
    reach = reaches(session, [(workspace_id, user_id)], now)[(workspace_id, user_id)]
    back = away_until([a for a in reach.absences if a.kind in BLOCKS], now)
    return reach.local(back).date() if back is not None else None
