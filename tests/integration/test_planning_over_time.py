"""Planning as the scheduler runs it, week after week, and what happens to messages left waiting too long."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from bot.messages import render
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing, enqueue
from circles.services.planning import expire_overdue, plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc


def test_a_tick_every_few_hours_for_five_weeks_plans_each_message_once_at_local_time(db: Database) -> None:
    standard(db)
    planned_by_passes: Counter[str] = Counter()
    # New York moves to daylight time on 8 March 2026, London on 29 March.
    with freeze_time("2026-03-01 00:00:00") as clock:
        while datetime.now(UTC) < utc(2026, 4, 7):
            with db.unit_of_work() as uow:
                summary = plan(uow.session, datetime.now(UTC), grace=GRACE)
                uow.commit()
            planned_by_passes.update(summary.planned)
            assert not summary.missed
            clock.tick(timedelta(hours=5))  # sometimes ahead of 9:00, sometimes a few hours late
    with db.unit_of_work() as uow:
        rows = world.outbox(uow.session)
    assert all(row.status == "pending" for row in rows)
    assert sum(planned_by_passes.values()) == len(rows)  # no pass wrote what another had written
    due: dict[tuple[str, str | None], list[datetime]] = {}
    for row in rows:
        due.setdefault((row.payload["template"], row.channel), [])
        due[(row.payload["template"], row.channel)].append(row.due_at)
    mondays = [utc(2026, 3, 2) + timedelta(weeks=week) for week in range(6)]
    new_york = [m + timedelta(hours=14 if m.day == 2 else 13) for m in mondays]
    assert due[("circle_prompt", "C0CIRCLE1")] == new_york
    # Check-ins come weekly from the second week: 9:00 in each partner's own time zone.
    assert due[("checkin", "U0COACH")] == new_york[1:]
    assert due[("checkin", "U0LEARN")] == [
        m + timedelta(hours=9 if m.month == 3 and m.day < 29 else 8) for m in mondays[1:]
    ]
    assert due[("pair_prompt", "G0PAIR1")] == new_york[1:]
    assert due[("coach_idea", "U0COACH")] == new_york[1:]
    weeks = [row.payload["args"]["week"] for row in rows if row.payload["template"] == "circle_prompt"]
    assert weeks == [1, 2, 3, 4, 5, 6]


def test_overdue_planned_messages_become_missed_and_one_off_notices_do_not(db: Database) -> None:
    _, _, partnership, _, learner = standard(db)
    with db.unit_of_work() as uow:
        plan(uow.session, utc(2026, 3, 9, 8, 30), grace=GRACE, look_back=GRACE)
        notice = Outgoing("ended:1", "U0LEARN", PlainNotice("Your partnership ended."))
        enqueue(uow.session, 1, notice, utc(2026, 3, 9, 8, 30), utc(2026, 3, 9, 8, 30))
        uow.commit()
    with db.unit_of_work() as uow:
        # The dispatcher was down all morning: London's 9:00 check-in is now six and a half hours late.
        expired = expire_overdue(uow.session, utc(2026, 3, 9, 15, 30), GRACE)
        uow.commit()
    assert expired == 1
    with db.unit_of_work() as uow:
        status = {row.idempotency_key: row.status for row in world.outbox(uow.session)}
        assert status[f"checkin:{partnership.id}:{learner.id}:2026-03-09"] == "missed"
        assert status["ended:1"] == "pending"
        assert world.checkins(uow.session) == []  # never asked, so nothing to count as unanswered
        # Planning again later does not bring the missed check-in back.
        plan(uow.session, utc(2026, 3, 9, 15, 30), grace=GRACE, look_back=GRACE)
        uow.commit()
        assert learner.id not in {c.member_id for c in world.checkins(uow.session)}
        assert world.keys(uow.session, "missed") == [f"checkin:{partnership.id}:{learner.id}:2026-03-09"]
        assert expire_overdue(uow.session, utc(2026, 3, 9, 15, 30), GRACE) == 0


def test_planned_rows_render_as_short_warm_messages(db: Database) -> None:
    standard(db)
    with db.unit_of_work() as uow:
        plan(uow.session, utc(2026, 3, 16, 12, 30), grace=GRACE, look_back=GRACE)
        uow.commit()
        rows = {row.payload["template"]: row for row in world.outbox(uow.session)}
    circle = render("circle_prompt", rows["circle_prompt"].payload["args"])
    text = str(circle.block_dicts())
    assert circle.text == "This week's reflection: Listening to understand"
    assert "Week 3 · Listening to understand" in text
    assert "shaping your reply" in text
    assert "ask one more question" in text
    pair = render("pair_prompt", rows["pair_prompt"].payload["args"])
    assert "For your next conversation" in str(pair.block_dicts())
    idea = render("coach_idea", rows["coach_idea"].payload["args"])
    assert "Only you see this" in str(idea.block_dicts())
    assert rows["coach_idea"].channel == "U0COACH"
