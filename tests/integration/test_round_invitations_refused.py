"""A round whose circles Slack made but would not fill, carried out by the dispatcher against the stand-in on
SQLite and PostgreSQL: nobody stays seated in a circle whose conversation does not hold them.

An invitation that fails outright (Slack failing until the row gives up, or refusing the call) posts no
welcome into the empty channel, and once the round is through the circle is closed as never made, so that a
re-match can place its people. People Slack refuses one by one (deactivated, a guest) are taken out of their
circle; a circle left with one person in its conversation is closed, that person told privately, and the
round counts it as a problem, not ready.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, MatchRun, Member
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.people.status import my_status
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests import factories
from tests.dispatching import NOW, FakeClock, deps_for, taken

FAC = "U0FAC"
PEOPLE = [f"U0P{n:02d}" for n in range(6)]
TWO_ATTEMPTS = DispatchOptions(look_up_dnd=False, max_attempts=2)
LATER = NOW + timedelta(days=1)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def previewed(db: Database) -> tuple[int, list[list[str]]]:
    """Six peers in circles of three (room for a fourth) meeting in private channels: the round previewed,
    and the people of each of its circles."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.NONE, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size, co.circle_max_size = 3, 4
        factories.facilitator(uow.session, co, FAC)
        for user in PEOPLE:
            factories.member(uow.session, co, user, Role.PEER, flush=False)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    with db.unit_of_work() as uow:
        users = dict(uow.session.execute(select(Member.id, Member.slack_user_id)).all())
    groups = [sorted(users[m] for m in circle["members"]) for circle in plan.plan["circles"]]
    assert sorted(len(group) for group in groups) == [3, 3]
    return plan.run_id, groups


def carried_out(db: Database, standin: SlackStandIn, run_id: int, refused: list[str] = []) -> None:  # noqa: B006
    """Confirm the round and let the dispatcher work for an hour; `refused`: deactivated in Slack."""
    for user in (FAC, *PEOPLE):
        standin.add_user(user, deleted=user in refused)
    confirm_round(db.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=NOW)
    pacer = FakeClock().pacer()
    for minutes in range(0, 60, 2):
        dispatch(deps_for(db, standin), NOW + timedelta(minutes=minutes), options=TWO_ATTEMPTS, pacer=pacer)
    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE


def channels(standin: SlackStandIn) -> dict[str, set[str]]:
    """Each channel the round made, and who is in it (the app left out)."""
    bot = standin.workspace.teams["T0001"].bot_user_id
    made = [c.response["channel"]["id"] for c in standin.calls("conversations.create") if taken(c)]
    return {channel: set(standin.workspace.channels[channel].members) - {bot} for channel in made}


def kickoffs(standin: SlackStandIn) -> list[str]:
    """The channels a circle's welcome was posted in."""
    return [
        c.args["channel"]
        for c in standin.calls("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_type") == "circles_kickoff" and taken(c)
    ]


def open_circles(db: Database) -> dict[str, str]:
    """The circles not closed, by conversation: their names."""
    with db.unit_of_work() as uow:
        found = uow.session.scalars(select(Circle).where(Circle.dissolved_at.is_(None)))
        return {str(circle.conversation_id): circle.name for circle in found}


def last_progress(standin: SlackStandIn) -> str:
    return str([c.args["text"] for c in standin.calls("chat.update") if taken(c)][-1])


def said_to(standin: SlackStandIn, user: str) -> list[str]:
    return [
        c.args["text"] for c in standin.calls("chat.postMessage") if c.args["channel"] == user and taken(c)
    ]


def rematch_of(db: Database, user: str) -> dict[str, list[dict[str, object]]]:
    found = preview_rematch(db.unit_of_work(), "T0001", "pgy1", user, user_id=FAC, is_admin=False, now=LATER)
    return found.plan


def test_invitations_slack_keeps_failing_post_no_welcome_and_close_every_circle_once_the_round_is_through(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, _ = previewed(db)
    standin.fail("conversations.invite", status=503, times=None)

    carried_out(db, standin, run_id)

    assert sorted(map(len, channels(standin).values())) == [0, 0]  # the app alone in each channel
    assert kickoffs(standin) == []  # before: a welcome introducing people not there
    assert open_circles(db) == {}  # before: both still seated everyone, and would get prompts
    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.failed, report.progress.total) == (0, 2, 2)
    assert "Nobody else is left" not in " ".join(said_to(standin, PEOPLE[0]))  # never introduced: untold


def test_a_circle_whose_invitation_slack_refused_is_closed_and_its_people_can_be_re_matched(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, _ = previewed(db)
    standin.error("conversations.invite", "restricted_action", times=1)  # the first circle's, for good

    carried_out(db, standin, run_id)

    filled = {channel: people for channel, people in channels(standin).items() if people}
    [(kept, seated)] = filled.items()
    assert len(seated) == 3
    assert kickoffs(standin) == [kept]
    assert list(open_circles(db)) == [kept]
    assert last_progress(standin).startswith(
        "Done: round 1 of *PGY-1* — 1 of 2 circles and pairs ready, 1 with a problem."
    )
    [left_out, *_] = sorted(set(PEOPLE) - seated)
    plan = rematch_of(db, left_out)
    # Before: "Already in circle-pgy1-r1-… this round.", and nobody could place them.
    assert not any("Already in" in str(note["text"]) for note in plan["notes"])
    assert [join["name"] for join in plan["joins"]] == [open_circles(db)[kept]]


def test_someone_slack_refuses_is_taken_out_of_their_circle_and_can_be_re_matched(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, groups = previewed(db)
    refused = groups[0][0]

    carried_out(db, standin, run_id, refused=[refused])

    assert sorted(channels(standin).values(), key=len) == [set(groups[0]) - {refused}, set(groups[1])]
    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.failed) == (2, 0)  # two still meet there
    [cohort] = my_status(db.unit_of_work(), "T0001", refused, LATER)
    assert cohort.circles == ()  # /circles status: without a circle
    plan = rematch_of(db, refused)
    assert not any("Already in" in str(note["text"]) for note in plan["notes"])
    assert len(plan["joins"]) == 1


def test_a_circle_slack_let_one_person_into_is_closed_that_person_told_and_counted_as_a_problem(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, groups = previewed(db)
    *refused, alone = groups[0]

    carried_out(db, standin, run_id, refused=refused)

    alone_in = next(channel for channel, people in channels(standin).items() if people == {alone})
    assert alone_in not in kickoffs(standin)  # no welcome for one
    assert alone_in not in open_circles(db)
    [told] = [text for text in said_to(standin, alone) if "into its channel, so it will not meet" in text]
    assert "they can place you in another circle" in told
    assert last_progress(standin).startswith(
        "Done: round 1 of *PGY-1* — 1 of 2 circles and pairs ready, 1 with a problem."
    )  # before: "2 of 2 … ready"
    plan = rematch_of(db, refused[0])
    assert not any("Already in" in str(note["text"]) for note in plan["notes"])
    assert [join["name"] for join in plan["joins"]] == list(open_circles(db).values())
