"""Planning and digests cost what is due: an installation-sized idle pass, then passes with more due work.

Target (bench/README.md, tick): with 500 workspaces, 100,000 partnerships and a million check-ins, a
tick with nothing due takes at most 0.5 s and 30 statements, on SQLite and on PostgreSQL; with due work,
its cost grows with the due items only. This measures the planning and digest steps of the tick
(`plan`, `plan_nudges`, `expire_overdue`), which must leave most of that budget to the other steps.

The data: one cohort per workspace, in one of six time zones and on one of five weekdays, its pairs
(a coach and a learner) two by two in circles of four, ten answered check-ins per pair. The first pass
plans everything (all of it is new); the idle pass a minute later has nothing due; the next three passes
run when the next cohorts' messages fall, and plan just those; then 1, 10 and 100 cohorts are changed
(as a facilitator saving settings does) and the next pass plans just those, over the whole look-back.

Run: .venv/bin/python -m bench.due_work [--workspaces 500] [--partnerships 100000] [--checkins 1000000]
     [--database URL]   (default: a SQLite file in a temporary folder)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, or_, select

from circles.domain.vocabulary import PartnershipKind, Role
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.persistence.models import (
    CheckIn,
    Circle,
    CircleMembership,
    Cohort,
    Member,
    Partnership,
    Workspace,
)
from circles.services.nudges.digests import plan_nudges
from circles.services.planning import expire_overdue, plan
from circles.services.planning.replan import replan

IDLE_SECONDS, IDLE_STATEMENTS = 0.5, 30
NOW = datetime(2026, 11, 4, 10, 30, tzinfo=UTC)  # a Wednesday, half past: no prompt falls on the minute
LONG_AGO = NOW - timedelta(weeks=30)
GRACE = timedelta(hours=6)
HORIZON = timedelta(hours=1)  # planning's default: a message is planned this long before it falls
ZONES = ("America/New_York", "America/Chicago", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "UTC")
CHUNK = 20_000


def build(db: Database, workspaces: int, partnerships: int, checkins: int) -> None:
    """Fill an empty database with Core inserts, chunk by chunk."""
    per = -(-partnerships // workspaces)
    with db.engine.begin() as c:
        c.execute(
            insert(Workspace), [{"team_id": f"T{w:05d}", "created_at": LONG_AGO} for w in range(workspaces)]
        )
        ids = list(c.scalars(select(Workspace.id).order_by(Workspace.id)))
        c.execute(insert(Cohort), [_cohort(w, ws) for w, ws in enumerate(ids)])
        cohorts = list(c.execute(select(Cohort.id, Cohort.workspace_id).order_by(Cohort.id)))
        members, pairs, circles = [], [], []
        for cohort_id, ws in cohorts:
            for n in range(per):
                for who, role in (("C", Role.COACH), ("L", Role.LEARNER)):
                    members.append(_member(ws, cohort_id, f"U{who}{cohort_id}x{n}", role))
        _chunked(c, Member, members)
        rows = c.execute(select(Member.id, Member.workspace_id, Member.cohort_id).order_by(Member.id)).all()
        for i in range(0, len(rows), 2):
            (coach, ws, cohort_id), (learner, _, _) = rows[i], rows[i + 1]
            pairs.append(_pair(ws, cohort_id, coach, learner, i))
        _chunked(c, Partnership, pairs)
        for i in range(0, len(rows), 4):
            ws, cohort_id = rows[i][1], rows[i][2]
            circles.append(_circle(ws, cohort_id, i))
        _chunked(c, Circle, circles)
        circle_ids = list(c.scalars(select(Circle.id).order_by(Circle.id)))
        joins = [
            {
                "workspace_id": rows[i][1],
                "circle_id": circle_ids[i // 4],
                "member_id": rows[i][0],
                "joined_at": LONG_AGO,
            }
            for i in range(len(rows))
        ]
        _chunked(c, CircleMembership, joins)
        pair_rows = c.execute(
            select(Partnership.id, Partnership.workspace_id, Partnership.first_member_id)
        ).all()
        answers = []
        for k in range(checkins):
            pair_id, ws, member_id = pair_rows[k % len(pair_rows)]
            due = NOW - timedelta(weeks=1 + k // len(pair_rows))
            answers.append(_checkin(ws, pair_id, member_id, due, met=pair_id % 7 != 0))
            if len(answers) >= CHUNK:
                c.execute(insert(CheckIn), answers)
                answers = []
        if answers:
            c.execute(insert(CheckIn), answers)


def _cohort(index: int, workspace_id: int) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "slug": "bench",
        "name": f"Cohort {index}",
        "created_by": "UADMIN",
        "created_at": LONG_AGO,
        "timezone": ZONES[index % len(ZONES)],
        "prompt_weekday": index % 5,
        "checkin_every_weeks": 2,
    }


def _member(ws: int, cohort_id: int, user: str, role: Role) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "cohort_id": cohort_id,
        "slack_user_id": user,
        "role": role,
        "joined_at": LONG_AGO,
    }


def _pair(ws: int, cohort_id: int, coach: int, learner: int, i: int) -> dict[str, Any]:
    kind = PartnershipKind.COACH_LEARNER
    return {
        "workspace_id": ws,
        "cohort_id": cohort_id,
        "kind": kind,
        "first_member_id": coach,
        "second_member_id": learner,
        "conversation_id": f"G{i}",
        "started_at": LONG_AGO,
    }


def _circle(ws: int, cohort_id: int, i: int) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "cohort_id": cohort_id,
        "round": 1,
        "name": f"c{i}",
        "conversation_id": f"C{i}",
        "created_at": LONG_AGO,
    }


def _checkin(ws: int, pair_id: int, member_id: int, due: datetime, *, met: bool) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "partnership_id": pair_id,
        "member_id": member_id,
        "due_at": due,
        "answered_at": due + timedelta(hours=3),
        "rating": 4,
        "met": met,  # one pair in seven never meets: their coaches' digests have something to say
    }


def _chunked(connection: Any, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[start : start + CHUNK])


@contextmanager
def counting(db: Database) -> Iterator[list[tuple[float, str]]]:
    """Each statement run meanwhile, with its seconds."""
    statements: list[tuple[float, str]] = []
    started: list[float] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append((time.perf_counter() - started.pop(), " ".join(statement.split())[:70]))

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)


def passed(db: Database, now: datetime) -> tuple[float, int, str]:
    """One planning-and-digests pass, as the tick runs it: seconds, statements, what it wrote."""
    with counting(db) as statements:
        started = time.perf_counter()
        with db.unit_of_work() as uow:
            planned = plan(uow.session, now, grace=GRACE)
            nudged = plan_nudges(uow.session, now)
            expire_overdue(uow.session, now, GRACE)
            uow.commit()
        seconds = time.perf_counter() - started
    rows = sum(planned.planned.values()) + sum(planned.missed.values())
    slowest = max(statements, default=(0.0, ""))
    wrote = f"{planned.cohorts} cohorts planned, {rows} rows"
    wrote += f"; {nudged.guides_checked} guides due, {nudged.digests} digests"
    return seconds, len(statements), f"{wrote}; slowest statement {slowest[0]:.3f} s: {slowest[1]}"


def anything_due(db: Database, now: datetime) -> bool:
    with db.unit_of_work() as uow:
        cohorts = select(Cohort.id).where(
            or_(Cohort.plan_due_at.is_(None), Cohort.plan_due_at <= now + HORIZON)
        )
        members = select(Member.id).where(or_(Member.digest_due_at.is_(None), Member.digest_due_at <= now))
        return bool(
            uow.session.scalars(cohorts.limit(1)).first() or uow.session.scalars(members.limit(1)).first()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=500)
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--database", help="a database URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        upgrade(db.engine)
        started = time.perf_counter()
        build(db, args.workspaces, args.partnerships, args.checkins)
        name = db.engine.dialect.name
        print(
            f"{name}: {args.workspaces} workspaces, {args.partnerships} partnerships,"
            f" {args.checkins} check-ins"
        )
        print(f"  built in {time.perf_counter() - started:.1f} s")
        now = NOW
        while anything_due(db, now):  # a pass plans a bounded share of what is due; the next, the rest
            seconds, statements, wrote = passed(db, now)
            print(f"  first passes (everything is new): {seconds:.2f} s, {statements} statements")
            print(f"    ({wrote})")
        now += timedelta(minutes=1)
        seconds, statements, wrote = passed(db, now)
        verdict = "meets" if seconds <= IDLE_SECONDS and statements <= IDLE_STATEMENTS else "MISSES"
        print(f"  idle pass: {seconds:.3f} s, {statements} statements ({wrote})")
        target = f"<= {IDLE_SECONDS} s and <= {IDLE_STATEMENTS} statements"
        print(f"    target {target} for the whole tick: {verdict}")
        for _ in range(3):  # the next few instants at which some cohorts' messages fall
            with db.unit_of_work() as uow:
                soonest = uow.session.scalar(select(func.min(Cohort.plan_due_at)))
            assert soonest is not None
            now = max(now, soonest - HORIZON)
            seconds, statements, wrote = passed(db, now)
            print(f"  pass at {now:%a %H:%M} UTC, when the next messages fall: {seconds:.3f} s, {statements}")
            print(f"    statements ({wrote})")
        for changed in (1, 10, 100):
            with db.unit_of_work() as uow:
                ids = list(uow.session.scalars(select(Cohort.id).order_by(Cohort.id).limit(changed)))
                replan(uow.session, ids, digests=True)
                uow.commit()
            now += timedelta(minutes=1)
            seconds, statements, wrote = passed(db, now)
            print(f"  pass with {changed} cohort(s) changed (planned over the look-back): {seconds:.3f} s,")
            print(f"    {statements} statements ({wrote})")
        db.dispose()


if __name__ == "__main__":
    main()
