"""Build a large installation for bench.tick: workspaces, cohorts, pairs and their check-ins, in bulk.

Each workspace runs two coach–learner cohorts (UTC, prompts and check-ins on Mondays at 09:00, a
check-in every two weeks) with one facilitator each. Every pair has five check-in occurrences, the
last on the Monday before the bench's instant, answered in whole hours, so the clock's own changes
(answer windows closing, meetings ageing past 21 days) fall on the hour and the bench's ticks, on a
Saturday at half past, find nothing of the sort due. The pairs follow bench.health's mix of habits.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

from sqlalchemy import insert, text

from bench.health import PROFILES, _habits, _rating
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, Facilitator, Member, Partnership, Workspace

LAST_DUE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
# Saturday 10:30, the first look at everything: no prompt, check-in or weekday digest is due this weekend.
SETTLED = LAST_DUE + timedelta(days=5, hours=1, minutes=30)
EVERY = timedelta(weeks=2)
OCCURRENCES = 5
COHORTS_PER_WORKSPACE = 2
BATCH = 20_000


@dataclass(frozen=True)
class Size:
    workspaces: int
    partnerships: int

    @classmethod
    def scaled(cls, scale: float) -> Size:
        return cls(max(1, round(500 * scale)), max(COHORTS_PER_WORKSPACE, round(100_000 * scale)))

    @property
    def cohorts(self) -> int:
        return self.workspaces * COHORTS_PER_WORKSPACE

    @property
    def checkins(self) -> int:
        return self.partnerships * OCCURRENCES * 2


def build(db: Database, size: Size, seed: int) -> float:
    """Fill an empty, migrated database; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    begun = LAST_DUE - EVERY * OCCURRENCES
    with db.engine.begin() as connection:
        connection.execute(
            insert(Workspace),
            [{"team_id": f"T{w:05d}", "created_at": begun} for w in range(size.workspaces)],
        )
        connection.execute(insert(Cohort), [_cohort(c, begun) for c in range(size.cohorts)])
        connection.execute(
            insert(Facilitator),
            [
                {"workspace_id": _workspace(c), "cohort_id": c + 1, "slack_user_id": f"UF{c:06d}"}
                | {"added_at": begun}
                for c in range(size.cohorts)
            ],
        )
        members, pairs = [], []
        for p in range(size.partnerships):
            cohort = p % size.cohorts
            for n, role in ((1, Role.COACH), (2, Role.LEARNER)):
                members.append(
                    {"workspace_id": _workspace(cohort), "cohort_id": cohort + 1, "role": role}
                    | {"slack_user_id": f"U{p:07d}{n}", "status": MemberStatus.ACTIVE, "joined_at": begun}
                )
            pairs.append(
                {"workspace_id": _workspace(cohort), "cohort_id": cohort + 1, "first_member_id": 2 * p + 1}
                | {"second_member_id": 2 * p + 2, "kind": PartnershipKind.COACH_LEARNER}
                | {"status": PartnershipStatus.ACTIVE, "started_at": begun, "health_due_at": begun}
            )
        _in_batches(connection, Member, members)
        _in_batches(connection, Partnership, pairs)
        rows: list[dict[str, Any]] = []
        for p in range(size.partnerships):
            rows += _checkins(rng, p, _workspace(p % size.cohorts))
            if len(rows) >= BATCH:
                connection.execute(insert(CheckIn), rows)
                rows = []
        if rows:
            connection.execute(insert(CheckIn), rows)
    analyze(db)
    return time.perf_counter() - started


def analyze(db: Database) -> None:
    """Bring the planner's statistics up to date, as autovacuum does after bulk writes."""
    with db.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def _cohort(c: int, begun: datetime) -> dict[str, Any]:
    return {
        "workspace_id": _workspace(c),
        "slug": f"cohort-{c}",
        "name": f"Cohort {c}",
        "created_by": "UBENCH",
        "created_at": begun,
        "health_thresholds": {},
        "timezone": "UTC",
        "prompt_weekday": 0,
        "prompt_local_time": clock(9, 0),
        "checkin_every_weeks": 2,
        "starts_on": date(2026, 8, 24),
    }


def _workspace(cohort: int) -> int:
    return cohort // COHORTS_PER_WORKSPACE + 1


def _in_batches(connection: Any, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(model), rows[start : start + BATCH])


def _checkins(rng: random.Random, p: int, workspace_id: int) -> list[dict[str, Any]]:
    profile = rng.choices(list(PROFILES), list(PROFILES.values()))[0]
    usual = {member: rng.choice((3, 3, 3, 4, 4, 4)) for member in (2 * p + 1, 2 * p + 2)}
    rows = []
    for k in range(OCCURRENCES):
        due = LAST_DUE - EVERY * (OCCURRENCES - 1 - k)
        progress = k / (OCCURRENCES - 1)
        answers, meets = _habits(profile, progress, k >= OCCURRENCES - 3)
        met = rng.random() < meets
        for member in (2 * p + 1, 2 * p + 2):
            answered = rng.random() < answers
            rows.append(
                {
                    "workspace_id": workspace_id,
                    "partnership_id": p + 1,
                    "member_id": member,
                    "due_at": due,
                    "answered_at": due + timedelta(hours=rng.randint(1, 60)) if answered else None,
                    "rating": _rating(rng, profile, usual[member], progress) if answered else None,
                    "met": met if answered else None,
                    "wants_support": answered and rng.random() < 0.003,
                    "note_shared": False,
                    "health_pending": False,  # looked at by the first full pass
                }
            )
    return rows
