"""The cohort's last check-in, held for a night worker's next shift until after their pair is completed, on
SQLite and PostgreSQL: it still reaches them when their shift begins and takes its answer, which counts as
the pair's last rating and raises nothing new with the facilitators. A pair ended early before the held
question goes still drops it, as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from bot.tick import run_tick
from circles.domain.availability import AbsenceKind, WorkPattern, parse_shift
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.errors import CheckInClosed
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, CheckIn, Escalation, Partnership, Profile
from circles.queries.checkins_closed import closed_among
from circles.services.checkins.answers import answer
from circles.services.partnerships.endings import end_partnerships
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from standin import SlackStandIn
from tests import factories
from tests.dispatching import UNPACED, deps_for
from tests.integration import planning_world as world
from tests.integration.test_planning import utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in
SENDING = replace(UNPACED, look_up_dnd=False)

LAST_DAY = date(2026, 3, 16)  # a Monday: check-ins at 9:00 in New York (13:00 UTC)
COMPLETED_AT = utc(2026, 3, 17, 12)  # the last day is over everywhere
SHIFT_BEGINS = utc(2026, 3, 18, 23)  # Wednesday 19:00 in New York


def night_worker_pair(db: Database) -> tuple[int, int]:
    """A coach and a learner in New York paired in a cohort ending LAST_DAY, facilitated by Fay; the learner
    works Wednesday and Thursday nights. The learner's membership id and the pair's."""
    with db.unit_of_work() as uow:
        s = uow.session
        co = world.cohort(s, world.workspace(s), starts_on=date(2026, 3, 2), ends_on=LAST_DAY)
        factories.facilitator(s, co, "U0FAY")
        coach = world.member(s, co, "U0COACH", Role.COACH, timezone="America/New_York")
        learner = world.member(s, co, "U0NIGHT", timezone="America/New_York")
        pair = world.pair(s, coach, learner)
        s.flush()
        profile = s.scalars(select(Profile).where(Profile.slack_user_id == "U0NIGHT")).one()
        profile.work_pattern = WorkPattern(parse_shift("Wed-Thu 19:00-07:00")).to_json()
        uow.commit()
        return learner.id, pair.id


# When something happens: the last check-ins fall due, the pair completes, the night shift begins.
MOMENTS = (utc(2026, 3, 16, 13), COMPLETED_AT, SHIFT_BEGINS)


def ticks(db: Database, standin: SlackStandIn, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Ticks from `start` to `end`, every half hour within an hour of one of the MOMENTS and every four
    hours between them (a tick sends whatever fell due since the last): the check-in questions posted,
    (when, to whom) each."""
    deps, asked, now = deps_for(db, standin), [], start
    while now <= end:
        seen = len(standin.calls("chat.postMessage"))
        run_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        asked += [(now, str(c.args.get("channel"))) for c in posted if "check-in" in str(c.args).lower()]
        near = any(abs(moment - now) <= timedelta(hours=1) for moment in MOMENTS)
        later = now + timedelta(minutes=30 if near else 240)
        # Never past a moment's hour: it is ticked every half hour.
        soon = [
            moment - timedelta(hours=1) for moment in MOMENTS if now < moment - timedelta(hours=1) < later
        ]
        now = min([later, *soon, *([end] if now < end < later else [])])
    return asked


def test_the_last_check_in_held_for_a_night_shift_reaches_them_after_completion_and_takes_its_answer(
    db: Database, standin: SlackStandIn
) -> None:
    learner_id, pair_id = night_worker_pair(db)
    asked = ticks(db, standin, utc(2026, 3, 16, 12), utc(2026, 3, 19, 12))
    with db.reading() as uow:
        pair = uow.session.get_one(Partnership, pair_id)
        kept_checkins = list(uow.session.scalars(select(CheckIn).where(CheckIn.member_id == learner_id)))

    assert (pair.status, pair.end_reason, pair.ended_at) == (
        PartnershipStatus.ENDED,
        EndReason.COMPLETED,
        COMPLETED_AT,
    )
    assert (utc(2026, 3, 16, 13), "U0COACH") in asked
    assert (SHIFT_BEGINS, "U0NIGHT") in asked  # before: dropped at completion, its check-in deleted
    [theirs] = kept_checkins
    given = CheckInAnswer(rating=1, met=False)  # a poor last rating: recorded, and alarms nobody now
    answered = answer(
        db.unit_of_work(),
        "T0001",
        "U0NIGHT",
        theirs.id,
        given,
        SHIFT_BEGINS + timedelta(hours=1),
        cipher=None,
    )
    assert answered.answer.rating == 1
    posted = len(standin.calls("chat.postMessage"))
    ticks(db, standin, SHIFT_BEGINS + timedelta(hours=2), SHIFT_BEGINS + timedelta(days=2))
    with db.reading() as uow:
        pair = uow.session.get_one(Partnership, pair_id)
        kept = uow.session.get_one(CheckIn, theirs.id)
        escalations = list(uow.session.scalars(select(Escalation)))
    assert kept.rating == 1
    assert kept.answered_at is not None
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.COMPLETED)
    assert escalations == []
    told = {str(c.args.get("channel")) for c in standin.calls("chat.postMessage")[posted:]}
    assert "U0FAY" not in told


def test_a_partner_away_after_the_completion_holds_back_nothing_of_a_pair_that_is_over(
    db: Database, standin: SlackStandIn
) -> None:
    """A running pair waits while a partner is away, and a catch-up follows their return; a completed
    pair has nothing to wait for and no catch-up to come, so the last question goes as it would."""
    learner_id, pair_id = night_worker_pair(db)
    with db.unit_of_work() as uow:
        uow.session.add(
            AwayBlock(
                workspace_id=uow.session.get_one(Partnership, pair_id).workspace_id,
                slack_user_id="U0COACH",
                starts_at=COMPLETED_AT + timedelta(hours=6),
                ends_at=COMPLETED_AT + timedelta(days=14),
                kind=AbsenceKind.AWAY,
                created_by="U0COACH",
                created_at=COMPLETED_AT,
            )
        )
        uow.commit()
    asked = ticks(db, standin, utc(2026, 3, 16, 12), utc(2026, 3, 19, 12))
    with db.reading() as uow:
        theirs = list(uow.session.scalars(select(CheckIn).where(CheckIn.member_id == learner_id)))

    assert (SHIFT_BEGINS, "U0NIGHT") in asked
    assert len(theirs) == 1


def test_a_held_check_in_of_a_pair_ended_early_is_still_never_sent(
    db: Database, standin: SlackStandIn
) -> None:
    learner_id, pair_id = night_worker_pair(db)
    asked = ticks(db, standin, utc(2026, 3, 16, 12), utc(2026, 3, 17, 0))
    with db.unit_of_work() as uow:
        ended_at = utc(2026, 3, 17, 1)  # the evening of the last day: a partner ends it
        end_partnerships(
            uow.session, [uow.session.get_one(Partnership, pair_id)], EndReason.NO_FAULT, ended_at
        )
        uow.commit()
    asked += ticks(db, standin, utc(2026, 3, 17, 1), utc(2026, 3, 19, 12))
    with db.reading() as uow:
        pair = uow.session.get_one(Partnership, pair_id)
        theirs = list(uow.session.scalars(select(CheckIn).where(CheckIn.member_id == learner_id)))

    assert pair.end_reason is EndReason.NO_FAULT
    assert [to for _, to in asked] == ["U0COACH"]
    assert theirs == []  # as for any question that never went


def test_a_held_last_check_in_naming_a_partner_erased_since_is_never_sent_nor_answered(
    db: Database, standin: SlackStandIn
) -> None:
    learner_id, _ = night_worker_pair(db)
    asked = ticks(db, standin, utc(2026, 3, 16, 12), COMPLETED_AT + timedelta(hours=1))
    gone = COMPLETED_AT + timedelta(hours=2)
    leave(db.unit_of_work(), "T0001", None, "U0COACH", gone)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0COACH", gone) is True
    seen = len(standin.calls("chat.postMessage"))

    asked += ticks(db, standin, gone + timedelta(minutes=30), utc(2026, 3, 19, 12))

    to_learner = [
        str(c.args) for c in standin.calls("chat.postMessage")[seen:] if c.args["channel"] == "U0NIGHT"
    ]
    assert [to for _, to in asked] == ["U0COACH"]
    assert not any("U0COACH" in text for text in to_learner)  # the erased coach is named to nobody
    assert checkins_of(db, learner_id) == []  # as for any question that never went


def test_a_last_check_in_sent_before_its_partner_was_erased_no_longer_opens_naming_them(
    db: Database, standin: SlackStandIn
) -> None:
    learner_id, _ = night_worker_pair(db)
    ticks(db, standin, utc(2026, 3, 16, 12), SHIFT_BEGINS)  # their question reached them
    [sent] = [c.id for c in checkins_of(db, learner_id)]
    gone = SHIFT_BEGINS + timedelta(minutes=10)
    leave(db.unit_of_work(), "T0001", None, "U0COACH", gone)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0COACH", gone) is True

    with pytest.raises(CheckInClosed):  # its form would name the erased coach
        answer(db.unit_of_work(), "T0001", "U0NIGHT", sent, CheckInAnswer(rating=4), gone, cipher=None)


def checkins_of(db: Database, member_id: int) -> list[CheckIn]:
    with db.reading() as uow:
        return list(uow.session.scalars(select(CheckIn).where(CheckIn.member_id == member_id)))


def test_a_completed_pairs_check_ins_still_open_are_found_in_one_statement(db: Database) -> None:
    """Which of a completed pair's check-ins still go out: those due by its completion, within their days
    to answer from when they go (held ones counting from then); never answered ones or later ones."""
    learner_id, pair_id = night_worker_pair(db)
    last, week_before = utc(2026, 3, 16, 13), utc(2026, 3, 9, 13)
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, pair_id)
        pair.status, pair.end_reason, pair.ended_at = (
            PartnershipStatus.ENDED,
            EndReason.COMPLETED,
            COMPLETED_AT,
        )
        rows = {
            "last": factories.checkin(pair, learner_id, last),
            "held": factories.checkin(pair, learner_id, week_before),
            "old": factories.checkin(pair, learner_id, week_before - timedelta(days=1)),
            "answered": factories.checkin(pair, learner_id, last - timedelta(days=1), rating=4),
            "after": factories.checkin(pair, learner_id, COMPLETED_AT + timedelta(days=6)),
        }
        rows["held"].asked_at = SHIFT_BEGINS
        uow.session.add_all(rows.values())
        uow.commit()
    ids = {name: row.id for name, row in rows.items()}
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.reading() as uow:
            closed = closed_among(uow.session, ids.values(), SHIFT_BEGINS)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert {name for name, checkin in ids.items() if checkin in closed} == {"old", "answered", "after"}
    assert len([s for s in statements if "FROM checkins" in s]) == 1
