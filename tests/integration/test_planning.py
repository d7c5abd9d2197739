"""Planning on SQLite and PostgreSQL: each prompt and check-in once, at local time, for people present."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort, Member, Partnership, Profile, Workspace
from circles.services.planning import plan
from circles.services.planning.replan import replan_person
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def standard(db: Database) -> tuple[Cohort, Circle, Partnership, Member, Member]:
    """New York cohort, Mondays 9:00, weekly check-ins from 2 March 2026; the learner lives in London."""
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(uow.session, ws)
        coach = world.member(uow.session, co, "U0COACH", Role.COACH)
        learner = world.member(uow.session, co, "U0LEARN", timezone="Europe/London")
        peers = [world.member(uow.session, co, f"U0PEER{i}", Role.LEARNER) for i in range(3)]
        circle = world.circle(uow.session, co, [coach, learner, *peers])
        partnership = world.pair(uow.session, coach, learner)
        uow.commit()
    return co, circle, partnership, coach, learner


def test_planning_twice_writes_each_message_and_check_in_once(db: Database) -> None:
    _, circle, partnership, coach, learner = standard(db)
    now = utc(2026, 3, 9, 12, 30)
    with db.unit_of_work() as uow:
        first = plan(uow.session, now, grace=GRACE)
        uow.commit()
    with db.unit_of_work() as uow:
        again = plan(uow.session, now, grace=GRACE)
        uow.commit()
    p = partnership.id
    assert first.planned == {"circle_prompt": 1, "checkin": 2, "pair_prompt": 1, "coach_idea": 1}
    assert first.missed == {"circle_prompt": 1}  # 2 March went by before anything ran
    assert first.checkins == 2
    assert again.planned == again.missed == {}
    assert again.checkins == 0
    with db.unit_of_work() as uow:
        rows = {row.idempotency_key: row for row in world.outbox(uow.session)}
        assert sorted(rows) == sorted(
            [
                f"circle_prompt:{circle.id}:2026-03-02",
                f"circle_prompt:{circle.id}:2026-03-09",
                f"checkin:{p}:{learner.id}:2026-03-09",
                f"checkin:{p}:{coach.id}:2026-03-09",
                f"pair_prompt:{p}:2026-03-09",
                f"coach_idea:{coach.id}:2026-03-09",
            ]
        )
        assert rows[f"circle_prompt:{circle.id}:2026-03-02"].status == "missed"
        # 9:00 in New York (daylight time since 8 March) and 9:00 in London (still GMT).
        assert rows[f"circle_prompt:{circle.id}:2026-03-09"].due_at == utc(2026, 3, 9, 13)
        assert rows[f"checkin:{p}:{learner.id}:2026-03-09"].due_at == utc(2026, 3, 9, 9)
        assert rows[f"checkin:{p}:{coach.id}:2026-03-09"].due_at == utc(2026, 3, 9, 13)
        assert {row.channel for row in rows.values()} == {"C0CIRCLE1", "G0PAIR1", "U0COACH", "U0LEARN"}
        assert [(c.member_id, c.due_at) for c in world.checkins(uow.session)] == [
            (learner.id, utc(2026, 3, 9, 9)),
            (coach.id, utc(2026, 3, 9, 13)),
        ]


def test_check_in_messages_name_their_check_in_row_and_the_partner(db: Database) -> None:
    co, _, _, coach, learner = standard(db)
    with db.unit_of_work() as uow:
        plan(uow.session, utc(2026, 3, 9, 12, 30), grace=GRACE)
        uow.commit()
        rows = {row.channel: row for row in world.outbox(uow.session) if row.payload["template"] == "checkin"}
        ids = {c.member_id: c.id for c in world.checkins(uow.session)}
    assert rows["U0LEARN"].payload["args"] == {
        "checkin_id": ids[learner.id],
        "cohort_name": co.name,
        "partner_user_id": "U0COACH",
    }
    assert rows["U0COACH"].payload["args"]["checkin_id"] == ids[coach.id]
    assert rows["U0COACH"].payload["args"]["partner_user_id"] == "U0LEARN"


def test_a_members_own_time_zone_sets_their_check_in_and_a_bad_one_falls_back(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(uow.session, ws)
        coach = world.member(uow.session, co, "U0COACH", Role.COACH, timezone="Not/AZone")
        learner = world.member(uow.session, co, "U0LEARN", timezone="Asia/Kolkata")
        world.pair(uow.session, coach, learner)
        plan(uow.session, utc(2026, 3, 9), grace=GRACE, horizon=timedelta(days=1))
        uow.commit()
        due = {
            row.channel: row.due_at for row in world.outbox(uow.session) if "checkin" in row.idempotency_key
        }
    assert due == {"U0LEARN": utc(2026, 3, 9, 3, 30), "U0COACH": utc(2026, 3, 9, 13)}


def test_people_and_partnerships_on_hold_get_nothing(db: Database) -> None:
    now = utc(2026, 3, 9, 12, 30)
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(uow.session, ws)
        s = uow.session
        paused = world.member(s, co, "U0PAUSED", status=MemberStatus.PAUSED)
        paused_for_now = world.member(s, co, "U0BREAK", paused_until=now + timedelta(weeks=1))
        gone = world.member(s, co, "U0GONE", status=MemberStatus.LEFT)
        back = world.member(s, co, "U0BACK", status=MemberStatus.PAUSED, paused_until=now - timedelta(days=1))
        present = world.member(s, co, "U0HERE")
        quiet = world.circle(s, co, [paused, paused_for_now, gone], "C0QUIET")
        lively = world.circle(s, co, [paused, present], "C0LIVELY")
        coaches = [world.member(s, co, f"U0COACH{i}", Role.COACH, flush=False) for i in range(7)]
        learners = [world.member(s, co, f"U0LEARN{i}", flush=False) for i in range(3)]
        world.pair(s, coaches[0], learners[0], status=PartnershipStatus.PAUSED, conversation_id="G0A")
        world.pair(s, coaches[1], learners[1], status=PartnershipStatus.ENDED, conversation_id="G0B")
        world.pair(s, coaches[2], paused, conversation_id="G0C")
        world.pair(s, coaches[3], paused_for_now, conversation_id="G0D")
        world.pair(s, coaches[4], gone, conversation_id="G0E")
        world.pair(s, coaches[5], back, conversation_id="G0F")
        world.pair(s, coaches[6], present, conversation_id="G0G")
        plan(s, now, grace=GRACE, look_back=GRACE)
        uow.commit()
        channels = sorted({row.channel or "" for row in world.outbox(s)})
    # A timed pause that has run out ends by itself.
    assert channels == ["C0LIVELY", "G0F", "G0G", "U0BACK", "U0COACH5", "U0COACH6", "U0HERE"]
    assert quiet.id != lively.id


def test_nothing_before_the_start_after_the_end_or_for_archived_cohorts_and_uninstalled_workspaces(
    db: Database,
) -> None:
    now = utc(2026, 3, 9, 12, 30)
    with db.unit_of_work() as uow:
        s = uow.session
        ws, gone_ws = world.workspace(s), world.workspace(s, "T0GONE")
        gone_ws.uninstalled_at = now - timedelta(days=3)
        cohorts = [
            world.cohort(s, ws, "later", starts_on=date(2026, 3, 16)),
            world.cohort(s, ws, "over", ends_on=date(2026, 3, 8)),
            world.cohort(s, ws, "archived"),
            world.cohort(s, gone_ws, "uninstalled"),
            world.cohort(s, ws, "last-day", ends_on=date(2026, 3, 9)),
        ]
        cohorts[2].archived_at = now - timedelta(days=1)
        for co in cohorts:
            coach, learner = world.member(s, co, "U0C" + co.slug), world.member(s, co, "U0L" + co.slug)
            world.circle(s, co, [coach, learner], "C" + co.slug)
            world.pair(s, coach, learner, conversation_id="G" + co.slug)
        summary = plan(s, now, grace=GRACE, look_back=GRACE)
        uow.commit()
        channels = {row.channel for row in world.outbox(s)}
    assert channels == {"Clast-day", "Glast-day", "U0Clast-day", "U0Llast-day"}
    assert summary.cohorts == 2  # the one ending yesterday is read (time zones); the rest are not


def test_only_the_latest_rounds_circles_with_a_conversation_get_prompts(db: Database) -> None:
    with db.unit_of_work() as uow:
        s = uow.session
        co = world.cohort(s, world.workspace(s))
        people = [world.member(s, co, f"U0P{i}", flush=False) for i in range(4)]
        world.circle(s, co, people[:2], "C0OLD", round_number=1)
        world.circle(s, co, people[:2], "C0NEW", round_number=2)
        world.circle(s, co, people[2:], None, round_number=2)
        world.circle(s, co, people[2:], "C0LATE", round_number=2, created_at=utc(2026, 3, 9, 14))
        plan(s, utc(2026, 3, 9, 12, 30), grace=GRACE, look_back=GRACE)
        uow.commit()
        assert {row.channel for row in world.outbox(s)} == {"C0NEW"}


def test_after_downtime_recent_occurrences_go_late_and_older_ones_are_missed(db: Database) -> None:
    _, circle, partnership, coach, learner = standard(db)
    p = partnership.id
    with db.unit_of_work() as uow:
        # Down since before 2 March; back at 16:00 UTC on 16 March, three hours after New York's 9:00.
        plan(uow.session, utc(2026, 3, 16, 16), grace=GRACE)
        uow.commit()
        assert world.keys(uow.session, "pending") == sorted(
            [
                f"circle_prompt:{circle.id}:2026-03-16",
                f"checkin:{p}:{coach.id}:2026-03-16",
                f"coach_idea:{coach.id}:2026-03-16",
                f"pair_prompt:{p}:2026-03-16",
            ]
        )
        assert world.keys(uow.session, "missed") == sorted(
            [
                f"circle_prompt:{circle.id}:2026-03-09",
                f"checkin:{p}:{coach.id}:2026-03-09",
                f"checkin:{p}:{learner.id}:2026-03-09",
                f"checkin:{p}:{learner.id}:2026-03-16",  # 9:00 in London was seven hours ago
                f"coach_idea:{coach.id}:2026-03-09",
                f"pair_prompt:{p}:2026-03-09",
            ]
        )
        # A check-in nobody was asked leaves no row that could read as a missed answer.
        assert [(c.member_id, c.due_at) for c in world.checkins(uow.session)] == [
            (coach.id, utc(2026, 3, 16, 13))
        ]
        pending = {
            row.idempotency_key: row.due_at for row in world.outbox(uow.session) if row.status == "pending"
        }
        assert pending[f"circle_prompt:{circle.id}:2026-03-16"] == utc(2026, 3, 16, 13)


def test_a_long_outage_is_accounted_for_a_bounded_look_back_only(db: Database) -> None:
    standard(db)
    now = utc(2026, 9, 7, 16)
    with db.unit_of_work() as uow:
        summary = plan(uow.session, now, grace=GRACE)
        uow.commit()
        oldest = min(row.due_at for row in world.outbox(uow.session))
    assert summary.missed["circle_prompt"] == 1  # 31 August; 24 August is beyond the two weeks
    assert oldest >= now - timedelta(weeks=2)


def test_a_track_that_will_not_load_leaves_out_prompts_but_not_check_ins(db: Database) -> None:
    with db.unit_of_work() as uow:
        s = uow.session
        co = world.cohort(s, world.workspace(s), track="no-such-track")
        coach, learner = world.member(s, co, "U0COACH", Role.COACH), world.member(s, co, "U0LEARN")
        world.circle(s, co, [coach, learner])
        world.pair(s, coach, learner)
        summary = plan(s, utc(2026, 3, 9, 12, 30), grace=GRACE, look_back=GRACE)
        uow.commit()
        templates = sorted(row.payload["template"] for row in world.outbox(s))
    assert templates == ["checkin", "checkin"]
    assert summary.broken_tracks == ("no-such-track",)
    assert "no-such-track" in summary.describe()


def test_each_workspace_gets_its_own_rows_and_its_own_profiles(db: Database) -> None:
    with db.unit_of_work() as uow:
        s = uow.session
        for team, zone in (("T0001", "Asia/Tokyo"), ("T0002", None)):
            co = world.cohort(s, world.workspace(s, team))
            # The same Slack user ID in two workspaces is two people: Tokyo is only the first one's.
            coach, learner = (
                world.member(s, co, "U0COACH", Role.COACH),
                world.member(s, co, "U0SAME", timezone=zone),
            )
            world.circle(s, co, [coach, learner], "C0SAME")
            world.pair(s, coach, learner)
        plan(s, utc(2026, 3, 9), grace=GRACE, look_back=GRACE, horizon=timedelta(days=1))
        uow.commit()
        rows = world.outbox(s)
        teams = {ws.id: ws.team_id for ws in s.scalars(select(Workspace))}
    learner_checkins = {teams[row.workspace_id]: row.due_at for row in rows if row.channel == "U0SAME"}
    assert learner_checkins == {"T0001": utc(2026, 3, 9, 0), "T0002": utc(2026, 3, 9, 13)}
    assert sorted(teams[row.workspace_id] for row in rows if row.channel == "C0SAME") == ["T0001", "T0002"]
    # A check-in only ever goes to the person's own DM with the app, never to a shared conversation.
    assert {row.channel for row in rows if row.payload["template"] == "checkin"} == {"U0COACH", "U0SAME"}


def test_a_time_zone_change_after_planning_leaves_one_check_in_per_day(db: Database) -> None:
    _, _, _, _, learner = standard(db)
    with db.unit_of_work() as uow:
        plan(uow.session, utc(2026, 3, 9, 7), grace=GRACE, horizon=timedelta(hours=12))
        uow.commit()
    with db.unit_of_work() as uow:
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0LEARN")).one()
        profile.timezone = "Europe/Berlin"  # Slack now says Berlin: 9:00 there is 8:00 UTC, already planned
        replan_person(uow.session, profile.workspace_id, "U0LEARN")  # as the profile service does
        summary = plan(uow.session, utc(2026, 3, 9, 7, 30), grace=GRACE, horizon=timedelta(hours=12))
        uow.commit()
        mine = [c for c in world.checkins(uow.session) if c.member_id == learner.id]
    assert summary.checkins == 0
    assert [c.due_at for c in mine] == [utc(2026, 3, 9, 9)]
