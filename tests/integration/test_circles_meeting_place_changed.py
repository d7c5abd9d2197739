"""A cohort whose meeting place (private channel or group DM) changes while a round runs, on SQLite and
PostgreSQL: the round's circles stay where they were made, so someone who leaves afterwards is still taken
out of their circle's channel, a round half made still invites its people into the channels it made, and a
re-match seats a newcomer where their circle meets (a group DM, which cannot take anyone, moves to the
cohort's new place with everyone in it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, CircleMembership, Cohort, Member
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round
from circles.services.people.membership import join, leave
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, FakeClock, deps_for, taken
from tests.integration.test_round_steps_ended_pairs import FAC, PEERS, confirmed, standin

__all__ = ["standin"]  # the fixture: a Slack stand-in for the test


def sent(db: Database, standin: SlackStandIn, minutes: int = 0) -> None:
    """A few dispatcher passes from `minutes` after NOW, as the worker makes them (with what it built at
    start-up); their back-off between tries runs on a clock that does not wait it out."""
    deps, pacer = deps_for(db, standin), FakeClock().pacer()
    for extra in range(4):
        dispatch(deps, NOW + timedelta(minutes=minutes + extra), options=UNPACED, pacer=pacer)


def moved_to(db: Database, place: MeetingPlace, *, largest: int = 3) -> None:
    """A facilitator changes where the cohort's circles meet (and how large they may be)."""
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.meeting_place, cohort.circle_max_size = place, largest
        uow.commit()


def circle_of(db: Database, user: str) -> tuple[str, list[str]]:
    """The conversation of the person's circle and who sits in it."""
    with db.unit_of_work() as uow:
        seats = select(CircleMembership.circle_id).join(Member).where(Member.slack_user_id == user)
        circle = uow.session.scalars(select(Circle).where(Circle.id.in_(seats)).order_by(Circle.id)).first()
        assert circle is not None
        assert circle.conversation_id is not None
        seated = select(Member.slack_user_id).join(CircleMembership)
        people = uow.session.scalars(seated.where(CircleMembership.circle_id == circle.id))
        return circle.conversation_id, sorted(people)


def members_of(standin: SlackStandIn, conversation: str) -> set[str]:
    bot = standin.workspace.teams["T0001"].bot_user_id
    return set(standin.workspace.channels[conversation].members) - {bot}


def test_someone_leaving_after_the_cohort_moved_to_group_dms_is_still_taken_out_of_their_channel(
    db: Database, standin: SlackStandIn
) -> None:
    confirmed(db, standin, PEERS, PairingMode.NONE)
    sent(db, standin)  # the round's private channels, made and filled
    channel, people = circle_of(db, "U0P0")
    assert members_of(standin, channel) == set(people)

    moved_to(db, MeetingPlace.GROUP_DM)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0P0", NOW + timedelta(hours=1))
    sent(db, standin, minutes=61)

    assert members_of(standin, channel) == set(people) - {"U0P0"}


def test_a_round_half_made_when_the_cohort_moves_to_group_dms_still_invites_people_into_its_channels(
    db: Database, standin: SlackStandIn
) -> None:
    confirmed(db, standin, PEERS, PairingMode.NONE)
    standin.error("conversations.invite", "service_unavailable", times=None)  # Slack down after the channels
    sent(db, standin)
    moved_to(db, MeetingPlace.GROUP_DM)
    standin.faults.clear()

    sent(db, standin, minutes=30)

    for user in ("U0P0", "U0P5"):
        channel, people = circle_of(db, user)
        assert members_of(standin, channel) == set(people)


def test_a_newcomer_rematched_into_a_channel_circle_after_the_move_to_group_dms_is_invited_into_it(
    db: Database, standin: SlackStandIn
) -> None:
    confirmed(db, standin, PEERS, PairingMode.NONE)
    sent(db, standin)
    moved_to(db, MeetingPlace.GROUP_DM, largest=4)

    channel = rematched(db, standin, "U0NEW")

    assert standin.workspace.channels[channel].is_private
    assert "U0NEW" in members_of(standin, channel)
    assert [c for c in standin.calls("conversations.open") if taken(c) and "U0NEW" in str(c.args)] == []


def test_a_newcomer_rematched_into_a_group_dm_circle_after_the_move_to_channels_brings_everyone_there(
    db: Database, standin: SlackStandIn
) -> None:
    confirmed(db, standin, PEERS, PairingMode.NONE)
    moved_to(db, MeetingPlace.GROUP_DM)  # before Slack made anything: the round meets in group DMs
    sent(db, standin)
    moved_to(db, MeetingPlace.PRIVATE_CHANNEL, largest=4)

    channel = rematched(db, standin, "U0NEW")
    _, people = circle_of(db, "U0NEW")

    assert len(people) == 4
    assert standin.workspace.channels[channel].is_private
    assert members_of(standin, channel) == set(people)


def rematched(db: Database, standin: SlackStandIn, user: str) -> str:
    """A newcomer joins and a facilitator re-matches them into a circle with room: where it meets now."""
    standin.add_user(user)
    later = NOW + timedelta(hours=2)
    join(db.unit_of_work(), "T0001", "pgy1", user, Role.PEER, later)
    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", user, user_id=FAC, is_admin=False, now=later)
    assert plan.plan["joins"], plan.plan.get("notes")
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=later)
    sent(db, standin, minutes=121)
    return circle_of(db, user)[0]
