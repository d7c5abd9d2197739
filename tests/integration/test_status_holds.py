"""`/circles status` and Home name the next prompt and check-in the planner will really send: after the
cohort's blackout dates, once the member is back, once a partner is back; and the rhythm when nothing holds.

A New York cohort, Mondays 9:00 (14:00 UTC in December), weekly check-ins; U0LEARN lives in London (their
check-in at 9:00 UTC) and is coached by U0COACH; U0PLAIN is coached by U0COACH2. Now is Wednesday 2 December.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.views.home import home_view
from bot.views.membership import when
from bot.views.relationships import status_message
from circles.domain.availability.absence import AbsenceKind
from circles.domain.planning.ahead import Hold
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.queries.availability import away_block
from circles.services.people.status import CohortStatus, my_status
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc

NOW = utc(2026, 12, 2, 12)
PROMPT = {day: utc(2026, 12, day, 14) for day in (7, 14, 21)}  # 9:00 in New York
LONDON = {day: utc(2026, 12, day, 9) for day in (7, 14, 21)}  # 9:00 in London
PRIVATE = ("rotation", "leave", "away", "paused", "pause")  # a partner's reasons are theirs


def seed(db: Database, *, ends_on: date | None = None) -> str:
    """The world above; returns how the learner's check-ins are keyed in the outbox."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session), ends_on=ends_on)
        coach = world.member(uow.session, co, "U0COACH", Role.COACH)
        learner = world.member(uow.session, co, "U0LEARN", timezone="Europe/London")
        other = world.member(uow.session, co, "U0COACH2", Role.COACH)
        plain = world.member(uow.session, co, "U0PLAIN")
        world.circle(uow.session, co, [coach, learner, other, plain])
        pair = world.pair(uow.session, coach, learner)
        world.pair(uow.session, other, plain, conversation_id="G0PAIR2")
        uow.commit()
        return f"checkin:{pair.id}:{learner.id}:"


def black_out(db: Database, first: str, last: str) -> None:
    with db.unit_of_work() as uow:
        uow.session.query(Cohort).one().blackout_dates = [{"from": first, "until": last}]
        uow.commit()


def away(db: Database, user_id: str, back: datetime, kind: AbsenceKind, by: str) -> None:
    with db.unit_of_work() as uow:
        ws_id = uow.session.query(Cohort).one().workspace_id
        uow.session.add(away_block(ws_id, user_id, (NOW - timedelta(days=1), back), kind, by=by, now=NOW))
        uow.commit()


def pause(db: Database, user_id: str, until: datetime | None) -> None:
    with db.unit_of_work() as uow:
        member = uow.session.query(Member).filter_by(slack_user_id=user_id).one()
        member.status, member.paused_until = MemberStatus.PAUSED, until
        uow.commit()


def status(db: Database, user_id: str) -> tuple[CohortStatus, str]:
    """The member's one cohort, and the words `/circles status` and Home show of it (not their buttons)."""
    statuses = my_status(db.reading(), "T0001", user_id, NOW)
    blocks = [*status_message(statuses).block_dicts(), *home_view(statuses).to_dict()["blocks"]]
    [found] = statuses
    return found, "\n".join(block["text"]["text"] for block in blocks if block["type"] == "section")


def planned(db: Database, prefix: str) -> datetime:
    """When the planner, looking four weeks ahead, first sends what its key starts with."""
    with db.unit_of_work() as uow:
        plan(uow.session, NOW, grace=GRACE, horizon=timedelta(weeks=4))
        uow.commit()
        rows = world.outbox(uow.session)
        return min(row.due_at for row in rows if row.idempotency_key.startswith(prefix) and row.due_at >= NOW)


def test_blackout_dates_over_the_next_prompt_and_check_in_move_both_to_the_first_one_sent(
    db: Database,
) -> None:
    learners_checkin = seed(db)
    black_out(db, "2026-12-07", "2026-12-20")
    learner, shown = status(db, "U0LEARN")
    assert (learner.next_prompt, learner.next_checkin) == (PROMPT[21], LONDON[21])
    assert (learner.prompt_held, learner.checkin_held) == (Hold.BLACKOUT, Hold.BLACKOUT)
    assert f"Next prompt: {when(PROMPT[21])}, after the cohort's blackout dates" in shown
    assert f"Next check-in: {when(LONDON[21])}, after the cohort's blackout dates" in shown
    assert when(PROMPT[7]) not in shown
    # What the planner writes agrees.
    assert planned(db, "circle_prompt:") == PROMPT[21]
    assert planned(db, learners_checkin) == LONDON[21]


def test_blackout_dates_to_the_cohort_s_end_leave_no_next_prompt_and_say_why(db: Database) -> None:
    seed(db, ends_on=date(2026, 12, 27))
    black_out(db, "2026-12-07", "2026-12-27")
    learner, shown = status(db, "U0LEARN")
    assert (learner.next_prompt, learner.next_checkin) == (None, None)
    assert "Next prompt: none while the cohort's blackout dates last." in shown
    assert "Next check-in: none while the cohort's blackout dates last." in shown


def test_a_member_away_themselves_is_told_their_dates_once_they_are_back_and_their_coach_without_why(
    db: Database,
) -> None:
    seed(db)
    away(db, "U0LEARN", utc(2026, 12, 10), AbsenceKind.AWAY, by="U0LEARN")
    learner, shown = status(db, "U0LEARN")
    assert (learner.next_prompt, learner.next_checkin) == (PROMPT[14], LONDON[14])
    assert (learner.prompt_held, learner.checkin_held) == (Hold.AWAY, Hold.AWAY)
    assert f"Next prompt: {when(PROMPT[14])}, once you are back" in shown
    coach, seen_by_coach = status(db, "U0COACH")
    assert (coach.next_prompt, coach.next_checkin) == (PROMPT[7], PROMPT[14])
    assert f"Next check-in: {when(PROMPT[14])}, once your partner is back" in seen_by_coach
    assert not any(word in seen_by_coach.lower() for word in PRIVATE)


def test_a_learner_whose_only_coach_is_on_rotation_waits_for_them_and_another_learner_keeps_the_rhythm(
    db: Database,
) -> None:
    learners_checkin = seed(db)
    away(db, "U0COACH", utc(2026, 12, 10), AbsenceKind.ROTATION, by="U0FAC")
    learner, shown = status(db, "U0LEARN")
    assert (learner.next_prompt, learner.next_checkin) == (PROMPT[7], LONDON[14])
    assert (learner.prompt_held, learner.checkin_held) == (None, Hold.PARTNER)
    assert f"Next prompt: {when(PROMPT[7])}\n" in shown  # nothing held: no reason given
    assert f"Next check-in: {when(LONDON[14])}, once your partner is back" in shown
    assert not any(word in shown.lower() for word in PRIVATE)
    assert planned(db, learners_checkin) == LONDON[14]
    plain, plain_shown = status(db, "U0PLAIN")
    assert (plain.next_prompt, plain.next_checkin) == (PROMPT[7], PROMPT[7])
    assert (plain.prompt_held, plain.checkin_held) == (None, None)
    assert "once" not in plain_shown
    assert "blackout" not in plain_shown


def test_a_learner_whose_only_coach_is_paused_has_a_check_in_only_once_the_pause_ends(db: Database) -> None:
    seed(db)
    pause(db, "U0COACH", None)
    learner, shown = status(db, "U0LEARN")
    assert (learner.next_prompt, learner.next_checkin) == (PROMPT[7], None)
    assert learner.checkin_held is Hold.PARTNER
    assert "Next check-in: once your partner is back." in shown
    assert not any(word in shown.lower() for word in PRIVATE)
    pause(db, "U0COACH", utc(2026, 12, 15))  # a dated pause ends by itself
    learner, shown = status(db, "U0LEARN")
    assert learner.next_checkin == LONDON[21]
    assert f"Next check-in: {when(LONDON[21])}, once your partner is back" in shown
