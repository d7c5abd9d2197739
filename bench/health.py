"""Health: 20,000 partnerships with half a million check-ins, recomputed set-based on SQLite.

Target (bench/README.md): recomputed in under 3 s on SQLite, set-based (no query per partnership).
The data: 40 cohorts of coach–learner and peer pairs, fortnightly check-ins over about six
months, most pairs steady, some thriving, some drifting (ratings sliding, answers thinning), a
few rocky or gone quiet, the odd support request. Three passes are timed: the first writes a
history row for every pair; the second, an hour later, writes only what changed; the third, a
week later, sees answer windows close and meetings age.

Run: .venv/bin/python -m bench.health [--partnerships 20000] [--checkins 500000] [--seed 1] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from circles.domain.vocabulary import (
    MemberStatus,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
)
from circles.persistence.costs import Costs, StepCost
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.persistence.models import CheckIn, Cohort, HealthRecord, Member, Partnership, Workspace
from circles.services.health.recompute import recompute

TARGET_S = 3.0
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EVERY = timedelta(weeks=2)
COHORTS = 40
# Share of pairs of each kind; _habits and _rating say how each kind answers.
PROFILES = {"steady": 72, "thriving": 15, "drifting": 8, "rocky": 3, "quiet": 2}


@dataclass(frozen=True)
class Built:
    partnerships: int
    checkins: int
    seconds: float


def build(db: Database, partnerships: int, checkins: int, seed: int) -> Built:
    """Fill an empty database: members, pairs and exactly `checkins` check-ins."""
    started = time.perf_counter()
    rng = random.Random(seed)
    per_cohort = -(-partnerships // COHORTS)
    with db.engine.begin() as connection:
        connection.execute(insert(Workspace), [{"team_id": "TBENCH", "created_at": NOW}])
        connection.execute(
            insert(Cohort),
            [
                {"workspace_id": 1, "slug": f"cohort-{c}", "name": f"Cohort {c}", "created_by": "UBENCH"}
                | {"created_at": NOW - timedelta(weeks=30), "health_thresholds": {}}
                for c in range(COHORTS)
            ],
        )
        kinds = [PartnershipKind.COACH_LEARNER if c % 2 else PartnershipKind.PEER for c in range(COHORTS)]
        members, pairs = [], []
        for p in range(partnerships):
            cohort = p // per_cohort
            kind = kinds[cohort]
            first_role = Role.COACH if kind is PartnershipKind.COACH_LEARNER else Role.PEER
            second_role = Role.LEARNER if kind is PartnershipKind.COACH_LEARNER else Role.PEER
            for n, role in ((1, first_role), (2, second_role)):
                members.append(_member(cohort, f"U{p:06d}{n}", role))
            pairs.append(
                {"workspace_id": 1, "cohort_id": cohort + 1, "kind": kind, "first_member_id": 2 * p + 1}
                | {"second_member_id": 2 * p + 2, "status": PartnershipStatus.ACTIVE}
                | {"started_at": NOW - EVERY * 14}
            )
        connection.execute(insert(Member), members)
        connection.execute(insert(Partnership), pairs)
        occurrences = _occurrences(partnerships, checkins)
        rows: list[dict[str, Any]] = []
        for p, count in enumerate(occurrences):
            rows += _pair_checkins(rng, p, count)
            if len(rows) >= 50_000:
                connection.execute(insert(CheckIn), rows)
                rows = []
        if rows:
            connection.execute(insert(CheckIn), rows)
        made = connection.execute(select(func.count()).select_from(CheckIn)).scalar_one()
    return Built(partnerships, made, time.perf_counter() - started)


def _member(cohort: int, user: str, role: Role) -> dict[str, Any]:
    return {"workspace_id": 1, "cohort_id": cohort + 1, "slack_user_id": user, "role": role} | {
        "status": MemberStatus.ACTIVE,
        "joined_at": NOW - EVERY * 14,
    }


def _occurrences(partnerships: int, checkins: int) -> list[int]:
    """Check-in occurrences per pair (two check-ins each) adding up to exactly `checkins`."""
    total = checkins // 2
    base, extra = divmod(total, partnerships)
    return [base + (1 if p < extra else 0) for p in range(partnerships)]


def _pair_checkins(rng: random.Random, p: int, count: int) -> list[dict[str, Any]]:
    profile = rng.choices(list(PROFILES), list(PROFILES.values()))[0]
    # Each person has their own way of rating: some mostly 3s, some mostly 4s.
    usual = {member: rng.choice((3, 3, 3, 4, 4, 4)) for member in (2 * p + 1, 2 * p + 2)}
    rows = []
    for k in range(count):
        due = NOW - EVERY * (count - 1 - k) - timedelta(days=rng.choice((1, 2, 4, 6)))
        answers, meets = _habits(profile, k / max(1, count - 1), k >= count - 3)
        met = rng.random() < meets  # a meeting is the pair's: whoever answers reports it
        for member in (2 * p + 1, 2 * p + 2):
            answered = rng.random() < answers
            rows.append(
                {
                    "workspace_id": 1,
                    "partnership_id": p + 1,
                    "member_id": member,
                    "due_at": due,
                    "answered_at": due + timedelta(hours=rng.randint(1, 60)) if answered else None,
                    "rating": _rating(rng, profile, usual[member], k / max(1, count - 1))
                    if answered
                    else None,
                    "met": met if answered else None,
                    "wants_support": answered and rng.random() < 0.003,
                    "note_shared": False,
                }
            )
    return rows


def _habits(profile: str, progress: float, last_three: bool) -> tuple[float, float]:
    """The chance of answering and the chance the pair met, for one check-in."""
    if profile == "thriving":
        return 0.96, 0.97
    if profile == "drifting":
        return 0.95 - 0.45 * progress, 0.95 - 0.5 * progress
    if profile == "rocky":
        return 0.8, 0.7
    if profile == "quiet":
        return (0.05, 0.2) if last_three else (0.85, 0.85)
    return 0.93, 0.92


def _rating(rng: random.Random, profile: str, usual: int, progress: float) -> int:
    if profile == "thriving":
        return rng.choice((4, 5, 5))
    if profile == "drifting":
        return max(1, min(5, round(usual + 0.5 - 2.5 * progress + rng.uniform(-0.6, 0.6))))
    if profile == "rocky":
        return rng.choice((2, 3, 3, 4))
    return max(3, min(5, usual + rng.choice((-1, 0, 0, 0, 0, 0, 0, 0, 0, 1))))


def timed_recompute(db: Database, now: datetime, label: str) -> float:
    costs: dict[str, StepCost] = {}
    with Costs(db.engine, costs) as cost, cost("recompute"), db.unit_of_work() as uow:
        results = recompute(uow.session, now)
        uow.commit()
    seconds, statements = costs["recompute"].seconds, costs["recompute"].statements
    counts = Counter(result.state for result in results)
    verdict = "meets" if seconds < TARGET_S else "MISSES"
    written = sum(result.changed for result in results)
    print(f"{label}: {seconds:.2f} s for {len(results)} partnerships (target < {TARGET_S:.0f} s): {verdict}")
    print(f"  SQL statements: {statements} ({written} history rows written in one of them)")
    states = ", ".join(f"{state.value} {counts[state]}" for state in reversed(PartnershipHealthState))
    print(f"  states: {states}")
    return seconds


def run(partnerships: int, checkins: int, seed: int, path: Path) -> list[float]:
    db = Database(f"sqlite:///{path}")
    try:
        upgrade(db.engine)
        built = build(db, partnerships, checkins, seed)
        print(
            f"health: {built.partnerships} partnerships, {built.checkins} check-ins on SQLite "
            f"(built in {built.seconds:.1f} s at {path})"
        )
        times = [
            timed_recompute(db, NOW, "first pass, empty history"),
            timed_recompute(db, NOW + timedelta(hours=1), "an hour later"),
            timed_recompute(db, NOW + timedelta(days=7), "a week later"),
        ]
        with db.unit_of_work() as uow:
            stored = uow.session.execute(select(func.count()).select_from(HealthRecord)).scalar_one()
        print(f"  history rows kept: {stored}")
        return times
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=20_000)
    parser.add_argument("--checkins", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--db", type=Path, help="where to build the SQLite file (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    if args.db is not None:
        args.db.unlink(missing_ok=True)
        run(args.partnerships, args.checkins, args.seed, args.db)
        return
    with tempfile.TemporaryDirectory() as folder:
        run(args.partnerships, args.checkins, args.seed, Path(folder) / "health.db")


if __name__ == "__main__":
    main()
