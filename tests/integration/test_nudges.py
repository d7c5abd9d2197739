"""The coaches' daily digest: one a day per person in their morning on working days, muted on request."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.messages import render
from circles.domain.vocabulary import Role
from circles.errors import InvalidDigestDays, NotAMember
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, Member, OutboxMessage, Workspace
from circles.services.nudges.days import choose_digest_days, digest_days
from circles.services.nudges.digests import digest_now, mute_nudges, plan_nudges
from tests import factories, relationship_world
from tests.integration.test_planning_scale import counting_statements

MORNING = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 09:30 in Chicago, the coach's zone


def seeded(db: Database) -> int:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.prompt_local_time, co.timezone = time(9), "America/New_York"
        factories.profile(uow.session, ws, "U0COACH", timezone="America/Chicago")
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        factories.member(uow.session, co, "U0QUIET", Role.COACH)  # nothing to act on
        pair = factories.partnership(uow.session, "U0COACH", "U0LEARN")  # started 2026-11-02, never met
        coach = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0COACH")).one()
        uow.session.add(factories.checkin(pair, coach.id, MORNING - timedelta(days=3)))
        uow.commit()
        return coach.id


def digests(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage)))


def test_one_digest_a_day_in_the_coachs_morning_with_what_to_act_on(db: Database) -> None:
    seeded(db)
    for now in (MORNING - timedelta(hours=1), MORNING, MORNING + timedelta(hours=2)):
        with db.unit_of_work() as uow:
            plan_nudges(uow.session, now)
            uow.commit()
    [row] = digests(db)  # 08:30 Chicago is too early; 09:30 and 11:30 are the same day
    assert row.channel == "U0COACH"
    message = render(row.payload["template"], row.payload["args"])
    text = json.dumps(message.block_dicts())
    assert "No meeting with <@U0LEARN> reported for 28 days" in text
    assert "(1) still waits for an answer" in text
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, MORNING + timedelta(days=1))
        uow.commit()
    assert len(digests(db)) == 2


def test_a_muted_coach_gets_nothing_until_the_mute_ends(db: Database) -> None:
    coach = seeded(db)
    until = mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING - timedelta(days=1))
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, MORNING)
        plan_nudges(uow.session, until.replace(hour=15, minute=30) + timedelta(days=1))
        uow.commit()
    assert len(digests(db)) == 1


def test_only_the_coach_can_mute_their_own_digest(db: Database) -> None:
    coach = seeded(db)
    with pytest.raises(NotAMember):
        mute_nudges(db.unit_of_work(), "T0001", "U0LEARN", coach, 2, MORNING)


SATURDAY = MORNING + timedelta(days=5)


def second_cohort(db: Database) -> None:
    """The same coach also coaches U0OTHER in a second cohort, with no meeting either."""
    with db.unit_of_work() as uow:
        ws = uow.session.get_one(Workspace, 1)
        co = factories.cohort(uow.session, ws, "pgy2", "PGY-2 <evening>")
        co.prompt_local_time, co.timezone = time(11), "Europe/London"
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH)
        learner = factories.member(uow.session, co, "U0OTHER", Role.LEARNER)
        pair = relationship_world.pair(uow.session, coach, learner)
        uow.session.add(  # a low rating and a note from the learner: never part of the coach's digest
            CheckIn(
                workspace_id=ws.id,
                partnership_id=pair.id,
                member_id=learner.id,
                due_at=MORNING - timedelta(days=9),
                answered_at=MORNING - timedelta(days=8),
                rating=1,
                note_encrypted=b"secret-note",
                note_shared=True,
            )
        )
        uow.commit()


def plan_at(db: Database, *moments: datetime) -> None:
    for now in moments:
        with db.unit_of_work() as uow:
            plan_nudges(uow.session, now)
            uow.commit()


def test_one_digest_a_day_per_person_covers_every_cohort_of_theirs(db: Database) -> None:
    seeded(db)
    second_cohort(db)
    plan_at(db, MORNING, MORNING + timedelta(hours=1), MORNING + timedelta(hours=3))
    [row] = digests(db)
    assert row.idempotency_key == "digest:U0COACH:2026-11-30"
    sections = row.payload["args"]["sections"]
    assert [s["cohort_name"] for s in sections] == ["PGY-1", "PGY-2 <evening>"]
    text = json.dumps(render(row.payload["template"], row.payload["args"]).block_dicts())
    assert "<@U0LEARN>" in text
    assert "<@U0OTHER>" in text
    assert "PGY-2 &lt;evening&gt;" in text
    assert "rating" not in json.dumps(row.payload)
    assert "secret" not in json.dumps(row.payload)


def test_no_digest_on_saturday_or_sunday_unless_the_coach_chose_those_days(db: Database) -> None:
    seeded(db)
    plan_at(db, SATURDAY, SATURDAY + timedelta(days=1))
    assert digests(db) == []
    assert digest_days(db.unit_of_work(), "T0001", "U0COACH") == frozenset(range(5))
    choose_digest_days(db.unit_of_work(), "T0001", "U0COACH", [5, 2], MORNING)  # Saturday and Wednesday
    plan_at(db, MORNING + timedelta(days=7), SATURDAY + timedelta(days=7), SATURDAY + timedelta(days=8))
    [row] = digests(db)
    assert row.idempotency_key == "digest:U0COACH:2026-12-12"
    assert row.payload["args"]["working_days"] == "25"
    assert digest_days(db.unit_of_work(), "T0001", "U0LEARN") == frozenset(range(5))  # theirs alone


def test_a_day_needs_choosing_and_a_person_without_a_profile_gets_one(db: Database) -> None:
    seeded(db)
    with pytest.raises(InvalidDigestDays):
        choose_digest_days(db.unit_of_work(), "T0001", "U0QUIET", [], MORNING)
    with pytest.raises(InvalidDigestDays):
        choose_digest_days(db.unit_of_work(), "T0001", "U0QUIET", [7], MORNING)
    assert choose_digest_days(db.unit_of_work(), "T0001", "U0QUIET", [0, 0, 6], MORNING) == {0, 6}
    assert digest_days(db.unit_of_work(), "T0001", "U0QUIET") == {0, 6}


def test_muting_from_one_cohorts_digest_mutes_the_persons_digest_everywhere(db: Database) -> None:
    coach = seeded(db)
    second_cohort(db)
    mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING - timedelta(hours=1))
    plan_at(db, MORNING, MORNING + timedelta(days=1))
    assert digests(db) == []
    plan_at(db, MORNING + timedelta(weeks=2, days=1))
    assert len(digests(db)) == 1


def test_the_full_list_holds_everything_now_even_while_muted(db: Database) -> None:
    coach = seeded(db)
    second_cohort(db)
    mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING)
    sections = digest_now(db.unit_of_work(), "T0001", "U0COACH", MORNING)
    assert [(s.cohort_name, len(s.nudges)) for s in sections] == [("PGY-1", 2), ("PGY-2 <evening>", 1)]
    assert digest_now(db.unit_of_work(), "T0001", "U0LEARN", MORNING) == []


def test_planning_digests_takes_the_same_statements_for_five_coaches_or_fifty(db: Database) -> None:
    seeded(db)

    def add_coaches(first: int, count: int) -> None:
        with db.unit_of_work() as uow:
            co = uow.session.scalars(select(Cohort)).first()
            assert co is not None
            people = [
                (
                    factories.member(uow.session, co, f"U0C{n:03d}", Role.COACH, flush=False),
                    factories.member(uow.session, co, f"U0L{n:03d}", flush=False),
                )
                for n in range(first, first + count)
            ]
            uow.session.flush()
            for coach, learner in people:
                relationship_world.pair(uow.session, coach, learner, flush=False)
            uow.commit()

    add_coaches(0, 4)
    with counting_statements(db) as few:
        plan_at(db, MORNING)
    add_coaches(4, 45)
    with counting_statements(db) as many:
        plan_at(db, MORNING + timedelta(days=1))
    assert len(many) == len(few)
    assert len(digests(db)) == 5 + 50
