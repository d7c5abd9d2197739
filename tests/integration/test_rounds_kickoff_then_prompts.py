"""What a circle or pair reads from its kickoff on, with rounds confirmed and carried out against the Slack
stand-in and the tick run week by week, on SQLite and PostgreSQL: the first reflection comes once, and a
pair or coach of a later round goes through its track from the top, in order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.tick import run_tick
from circles.domain.schedule import local_instant
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, CircleMembership, Cohort, Member, Partnership, Profile
from circles.services.matching.rounds import confirm_round, preview_round
from prompts.tracks import track
from standin import Call, SlackStandIn
from tests import factories
from tests.dispatching import UNPACED, deps_for, taken
from tests.integration import planning_world as world

FAC = "U0FAC"
NEW_YORK = "America/New_York"
SENDING = replace(UNPACED, look_up_dnd=False)
ROUND_ONE = datetime(2026, 2, 26, 15, tzinfo=UTC)  # a Thursday; the cohort starts on Monday 2 March
ROUND_TWO = datetime(2026, 4, 15, 15, tzinfo=UTC)  # the Wednesday of week 7
FIRST_REFLECTION = track("default").for_audience("circle")[0].text
COACHING = {"U0C1": Role.COACH, "U0L1": Role.LEARNER}
LATER = {"U0C2": Role.COACH, "U0L2": Role.LEARNER}


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def cohort(db: Database, standin: SlackStandIn, people: dict[str, Role], mode: PairingMode) -> None:
    """A New York cohort, Mondays 9:00, weekly check-ins, from 2 March 2026."""
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session))
        co.pairing_mode, co.circle_min_size, co.circle_max_size = mode, 2, 4
        factories.facilitator(uow.session, co, FAC)
        uow.commit()
    standin.add_user(FAC)
    join(db, standin, people)


def join(db: Database, standin: SlackStandIn, people: dict[str, Role]) -> None:
    """They join the cohort, each with room for one partner."""
    with db.unit_of_work() as uow:
        co = uow.session.scalars(select(Cohort)).one()
        for user, role in people.items():
            world.member(uow.session, co, user, role, timezone=NEW_YORK)
            standin.add_user(user)
        for profile in uow.session.scalars(select(Profile)):
            profile.capacity = 1
        uow.commit()


def carried_out_round(db: Database, standin: SlackStandIn, now: datetime) -> None:
    """A facilitator previews and confirms the next round; the tick then makes it in Slack."""
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=now)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=now)
    run_tick(deps_for(db, standin), now, sending=SENDING)


def mondays(db: Database, standin: SlackStandIn, first: date, count: int) -> None:
    """The tick at nine in New York, and again that afternoon, on `count` Mondays from `first`."""
    for day in (first + timedelta(weeks=n) for n in range(count)):
        for hour in (9, 14):
            run_tick(deps_for(db, standin), local_instant(day, time(hour), NEW_YORK), sending=SENDING)


def said(standin: SlackStandIn, channel: str) -> list[str]:
    """Everything the app posted in one conversation or DM, in order, as people read it."""
    posted = [c for c in standin.calls("chat.postMessage") if taken(c) and c.args.get("channel") == channel]
    return [words(call) for call in posted]


def words(call: Call) -> str:
    return json.dumps([call.args.get("text"), call.args.get("blocks")], ensure_ascii=False)


def circle_of(db: Database, user: str, round_number: int) -> str:
    with db.unit_of_work() as uow:
        found = uow.session.scalars(
            select(Circle.conversation_id)
            .join(CircleMembership, CircleMembership.circle_id == Circle.id)
            .join(Member, Member.id == CircleMembership.member_id)
            .where(Member.slack_user_id == user, Circle.round == round_number)
        ).one()
    assert found is not None
    return found


def pair_of(db: Database, learner: str) -> str:
    with db.unit_of_work() as uow:
        found = uow.session.scalars(
            select(Partnership.conversation_id)
            .join(Member, Member.id == Partnership.second_member_id)
            .where(Member.slack_user_id == learner)
        ).one()
    assert found is not None
    return found


def headings(messages: list[str]) -> list[str]:
    """Each message's first line as a notification shows it."""
    return [json.loads(message)[0] for message in messages]


def test_a_circle_made_before_the_first_prompt_day_reads_the_first_reflection_once(
    db: Database, standin: SlackStandIn
) -> None:
    cohort(db, standin, {f"U0P{n}": Role.PEER for n in range(4)}, PairingMode.NONE)

    carried_out_round(db, standin, ROUND_ONE)
    mondays(db, standin, date(2026, 3, 2), 2)

    circle = said(standin, circle_of(db, "U0P0", 1))
    assert headings(circle) == [
        "Welcome to your circle in Cohort pgy1",
        "This week's reflection: Building trust",
        "This week's reflection: Sharing lived experience",
    ]
    assert [FIRST_REFLECTION in message for message in circle] == [False, True, False]
    assert "Introduce yourselves" in circle[0]
    assert "prompt day" in circle[0]  # the kickoff says when the reflections begin


def a_second_round_with_a_newcomer(db: Database, standin: SlackStandIn) -> None:
    """A coaching cohort's first round carried out, someone joining later, then its second round."""
    cohort(db, standin, COACHING, PairingMode.COACH_LEARNER)
    carried_out_round(db, standin, ROUND_ONE)
    join(db, standin, LATER)
    carried_out_round(db, standin, ROUND_TWO)


def test_a_later_rounds_circle_is_welcomed_without_a_reflection_and_reads_the_weeks_next(
    db: Database, standin: SlackStandIn
) -> None:
    a_second_round_with_a_newcomer(db, standin)
    mondays(db, standin, date(2026, 4, 20), 1)

    circle = said(standin, circle_of(db, "U0L2", 2))
    assert headings(circle) == [
        "Welcome to your circle in Cohort pgy1",
        "This week's reflection: Repairing after conflict",  # week 8's, as every circle of the cohort
    ]
    assert "This week's reflection" not in circle[0]


def test_a_pair_and_a_coach_of_a_later_round_go_through_their_tracks_from_the_top(
    db: Database, standin: SlackStandIn
) -> None:
    a_second_round_with_a_newcomer(db, standin)
    mondays(db, standin, date(2026, 4, 20), 3)

    pair = said(standin, pair_of(db, "U0L2"))
    assert headings(pair) == [
        "Welcome to your partnership in Cohort pgy1",
        "Something for your next conversation: Sharing lived experience",
        "Something for your next conversation: Learning from a hard moment",
        "Something for your next conversation: How this partnership is going",
    ]
    assert "Getting started" in pair[0]  # the kickoff carried the track's first starter
    ideas = [h for h in headings(said(standin, "U0C2")) if h.startswith("A session idea")]
    assert ideas == [
        "A session idea for Cohort pgy1: Building trust",
        "A session idea for Cohort pgy1: Their agenda first",
        "A session idea for Cohort pgy1: Listening to understand",
    ]
    # The first round's pair and coach go on where they were.
    first_pair = headings(said(standin, pair_of(db, "U0L1")))
    assert first_pair[-3:] == [
        "Something for your next conversation: Gratitude",
        "Something for your next conversation: Getting started",
        "Something for your next conversation: Sharing lived experience",
    ]
