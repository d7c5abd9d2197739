"""A circle that people leave in the middle of a round (they leave, are erased, or leave Slack), on SQLite
and PostgreSQL: below the size its cohort makes circles, its facilitators hear privately who is left; down
to one person, that person hears privately that its prompts have stopped, and they stop, while every other
circle goes on. Nobody in a circle is told who left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from bot.messages import render
from circles.domain.vocabulary import OutboxStatus, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, Cohort, Facilitator, Member, OutboxMessage
from circles.queries.circles import seat_again
from circles.services.matching.rematch import preview_rematch
from circles.services.people.erasure import erase_personal_data
from circles.services.people.left_slack import left_slack
from circles.services.people.membership import join, leave
from circles.services.planning import plan
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests import factories
from tests.databases import postgres, raced
from tests.dispatching import NOW, UNPACED, deps_for, taken
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_circles_meeting_place_changed import members_of, rematched
from tests.integration.test_round_steps_ended_pairs import PEERS, confirmed, kickoffs, standin

__all__ = ["postgres", "standin"]  # fixtures: a PostgreSQL database of the test's own; Slack's stand-in

FAC = "U0FAC"
MONDAY = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)  # 8:30 in New York: the week's prompts fall at 9:00
WEEK = timedelta(days=7)
SMALL = ["U0ANN", "U0BO", "U0CY", "U0DI"]  # round 2's circle that people leave
KEPT = ["U0EV", "U0FI", "U0GU", "U0HA"]


def programme(db: Database) -> None:
    """Two rounds of PGY-1 (circles of 4 to 6) and a second cohort Ann is also in, with its own circle."""
    with db.unit_of_work() as uow:
        s = uow.session
        ws = world.workspace(s)
        co = world.cohort(s, ws)
        co.name = "PGY-1 <nights>"
        factories.facilitator(s, co, FAC)
        people = {user: world.member(s, co, user, Role.PEER, flush=False) for user in SMALL + KEPT}
        world.circle(s, co, [people[u] for u in SMALL], "C0OLD", round_number=1)  # no prompts: not the latest
        world.circle(s, co, [people[u] for u in SMALL], "C0SMALL", round_number=2)
        world.circle(s, co, [people[u] for u in KEPT], "C0KEPT", round_number=2)
        other = world.cohort(s, ws, "nights")
        factories.facilitator(s, other, "U0NFAC")
        night = [world.member(s, other, user, Role.PEER, flush=False) for user in ("U0ANN", "U0XI", "U0YO")]
        world.circle(s, other, night, "C0NIGHT")
        uow.commit()


def planned(db: Database, now: datetime) -> None:
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE, look_back=GRACE)
        uow.commit()


def rows(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def notices_to(db: Database, user: str) -> list[str]:
    """The texts of the messages recorded for someone's DM."""
    return [
        render(str(r.payload["template"]), r.payload["args"]).text
        for r in rows(db)
        if r.channel == user and r.payload.get("template") in ("plain", "circle_alone")
    ]


def prompts(db: Database, channel: str, status: OutboxStatus = OutboxStatus.PENDING) -> int:
    return sum(
        r.channel == channel and r.status == status and r.payload.get("template") == "circle_prompt"
        for r in rows(db)
    )


def test_facilitators_hear_privately_who_is_left_when_leavers_take_a_circle_below_its_size(
    db: Database,
) -> None:
    programme(db)

    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", MONDAY)
    left_slack(db, "T0001", "U0BO", MONDAY)  # deactivated: they leave every cohort

    first, second = notices_to(db, FAC)
    assert first.startswith("Circle *circle-pgy1-2* of *PGY-1 &lt;nights&gt;* is down to 3 members")
    assert "<@U0BO>, <@U0CY>, <@U0DI>" in first
    assert second.startswith("Circle *circle-pgy1-2* of *PGY-1 &lt;nights&gt;* is down to 2 members")
    assert "(<@U0CY>, <@U0DI>)" in second
    assert "4 to 6" in second
    assert "`/circles match pgy1`" in second
    for member in ("U0CY", "U0DI", *KEPT):
        assert notices_to(db, member) == []  # nobody in a circle is told who left
    assert notices_to(db, "U0NFAC") == []  # Ann's night circle keeps three of three


def test_the_last_one_left_in_a_circle_hears_privately_that_its_prompts_stop_and_they_stop(
    db: Database,
) -> None:
    programme(db)
    planned(db, MONDAY)  # this week's prompts wait for 9:00
    assert prompts(db, "C0SMALL") == 1

    for user in ("U0ANN", "U0BO"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0BO", NOW) is True  # erased: nothing more to say
    left_slack(db, "T0001", "U0CY", MONDAY + timedelta(minutes=5))
    for week in (1, 2):
        planned(db, MONDAY + week * WEEK)

    [alone] = notices_to(db, "U0DI")
    assert alone.startswith("Nobody else is left in your circle *circle-pgy1-2* of *PGY-1 &lt;nights&gt;*")
    assert "prompts have stopped" in alone
    assert not any(user in alone for user in ("U0ANN", "U0BO", "U0CY"))
    last = notices_to(db, FAC)[-1]
    assert last.startswith("Circle *circle-pgy1-2* of *PGY-1 &lt;nights&gt;* is down to 1 member (<@U0DI>)")
    assert "prompts have stopped" in last
    assert prompts(db, "C0SMALL") == 0
    assert prompts(db, "C0SMALL", OutboxStatus.SUPERSEDED) == 1  # the one planned before they left
    assert prompts(db, "C0KEPT") == 3
    assert prompts(db, "C0NIGHT") == 3  # Ann's other cohort goes on


def test_someone_seated_again_beside_the_last_one_brings_the_circles_prompts_back(db: Database) -> None:
    programme(db)
    for user in ("U0ANN", "U0BO", "U0CY"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY)
    join(db.unit_of_work(), "T0001", "pgy1", "U0BO", Role.PEER, MONDAY)
    with db.unit_of_work() as uow:  # a re-match puts Bo back in their place
        bo = uow.session.scalars(
            select(Member).join(Cohort).where(Cohort.slug == "pgy1", Member.slack_user_id == "U0BO")
        ).one()
        small = uow.session.scalars(select(Circle).where(Circle.conversation_id == "C0SMALL")).one()
        seat_again(uow.session, bo.workspace_id, small.id, bo.id, MONDAY)
        uow.session.get_one(Cohort, bo.cohort_id).plan_due_at = MONDAY
        uow.commit()

    planned(db, MONDAY + WEEK)

    assert prompts(db, "C0SMALL") == 1


@pytest.mark.parametrize("seated_beside", [False, True], ids=["still-alone", "someone-seated-beside"])
def test_word_that_nobody_else_is_left_waits_for_its_window_and_is_dropped_once_someone_is_seated_beside(
    db: Database, standin: SlackStandIn, seated_beside: bool
) -> None:
    programme(db)
    for user in ("U0ANN", "U0BO", "U0CY"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY)  # 8:30 in New York: Di's word waits for 9:00
    if seated_beside:
        join(db.unit_of_work(), "T0001", "pgy1", "U0BO", Role.PEER, MONDAY)
        with db.unit_of_work() as uow:
            bo = uow.session.scalars(
                select(Member).join(Cohort).where(Cohort.slug == "pgy1", Member.slack_user_id == "U0BO")
            ).one()
            small = uow.session.scalars(select(Circle).where(Circle.conversation_id == "C0SMALL")).one()
            seat_again(uow.session, bo.workspace_id, small.id, bo.id, MONDAY + timedelta(minutes=10))
            uow.commit()
    for user in (*SMALL, *KEPT, FAC):
        standin.add_user(user)

    dispatch(deps_for(db, standin), MONDAY + timedelta(hours=2), options=UNPACED)

    told = [
        c.args.get("text", "") for c in standin.calls("chat.postMessage") if c.args.get("channel") == "U0DI"
    ]
    # Before, Di heard that nobody else was left after Bo had been seated beside them again.
    assert any(text.startswith("Nobody else is left in your circle") for text in told) is not seated_beside


@pytest.mark.postgres
def test_a_leave_racing_the_weekly_planning_on_postgresql_leaves_no_prompt_in_a_circle_of_one(
    postgres: Database,
) -> None:
    programme(postgres)
    for user in ("U0ANN", "U0BO"):
        leave(postgres.unit_of_work(), "T0001", "pgy1", user, MONDAY)

    with postgres.unit_of_work() as planning:  # holds the cohorts it plans until it commits
        plan(planning.session, MONDAY, grace=GRACE, look_back=GRACE)
        raced(postgres, planning, lambda: leave(postgres.unit_of_work(), "T0001", "pgy1", "U0CY", MONDAY))

    assert prompts(postgres, "C0SMALL") == 0
    assert prompts(postgres, "C0SMALL", OutboxStatus.SUPERSEDED) == 1
    assert prompts(postgres, "C0KEPT") == 1
    assert len(notices_to(postgres, "U0DI")) == 1


def all_but_one_left_the_first_circle(db: Database, standin: SlackStandIn) -> tuple[int, str]:
    """A confirmed round of peer circles, not yet made in Slack, whose first circle all but one left: the
    round's id and the one left."""
    run_id = confirmed(db, standin, PEERS, PairingMode.NONE)
    first, _ = round_report(db.unit_of_work(), run_id).plan.plan["circles"]
    with db.unit_of_work() as uow:
        users = {m.id: m.slack_user_id for m in uow.session.scalars(select(Member))}
    *leaving, staying = (users[member_id] for member_id in first["members"])
    for user in leaving:
        leave(db.unit_of_work(), "T0001", "pgy1", user, NOW)
    return run_id, staying


def test_a_circle_all_but_one_left_before_slack_made_it_is_not_made_and_the_one_left_hears_so(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, staying = all_but_one_left_the_first_circle(db, standin)

    dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert len([c for c in standin.calls("conversations.create") if taken(c)]) == 1
    assert len(kickoffs(standin)) == 1  # the other circle's
    [alone] = notices_to(db, staying)
    assert "will not meet" in alone
    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.not_needed, report.progress.failed) == (1, 1, 0)


def test_a_newcomer_rematched_beside_the_one_left_in_a_circle_never_made_meets_them_in_a_new_channel(
    db: Database, standin: SlackStandIn
) -> None:
    _, staying = all_but_one_left_the_first_circle(db, standin)
    dispatch(deps_for(db, standin), NOW, options=UNPACED)  # the other circle is made and full

    channel = rematched(db, standin, "U0NEW")  # the only circle with room is the one never made

    assert standin.workspace.channels[channel].is_private
    assert members_of(standin, channel) == {staying, "U0NEW"}


def test_the_last_one_left_is_promised_only_what_their_facilitators_can_do(db: Database) -> None:
    programme(db)
    for user in ("U0ANN", "U0BO", "U0CY"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY)

    [alone] = notices_to(db, "U0DI")
    moved = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", "U0DI", user_id=FAC, is_admin=False, now=MONDAY
    )

    assert moved.plan["joins"] == []  # still seated in their circle: a re-match cannot move them
    assert "another circle" not in alone
    assert "beside you" in alone  # someone new can be re-matched into their circle


def test_the_last_one_left_of_a_cohort_without_facilitators_is_not_told_facilitators_know(
    db: Database,
) -> None:
    programme(db)
    with db.unit_of_work() as uow:
        for facilitator in uow.session.scalars(select(Facilitator).where(Facilitator.slack_user_id == FAC)):
            uow.session.delete(facilitator)
        uow.commit()
    for user in ("U0ANN", "U0BO", "U0CY"):
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY)

    [alone] = notices_to(db, "U0DI")

    assert "facilitators know" not in alone
    assert "`/circles support`" in alone
