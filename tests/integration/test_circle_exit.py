"""Leaving a cohort takes the person out of its circles' private channels, on SQLite and PostgreSQL: every
round's channel, once, and still after they have their data erased; a group DM is left as it is."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.vocabulary import MeetingPlace, OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import join, leave
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, deps_for, taken
from tests.factories import NOW

UNPACED = DispatchOptions(look_up_dnd=False)


def two_rounds(db: Database, place: MeetingPlace) -> None:
    """Ann sat in a circle of round 1 (C0R1) and of round 2 (C0R2, which stays big enough without her);
    round 2's third circle awaits Slack."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.meeting_place = place
        ann, bo, cy = (
            factories.member(uow.session, co, u, Role.PEER, flush=False) for u in ("U0ANN", "U0BO", "U0CY")
        )
        others = [
            factories.member(uow.session, co, u, Role.PEER, flush=False) for u in ("U0DEE", "U0EVE", "U0FAY")
        ]
        factories.circle(uow.session, co, [ann, bo, cy], "circle-pgy1-r1-1", "C0R1")
        factories.circle(uow.session, co, [ann, bo, *others], "circle-pgy1-r2-1", "C0R2", round_number=2)
        factories.circle(uow.session, co, [cy], "circle-pgy1-r2-2", None, round_number=2)
        uow.commit()


def removals(db: Database) -> list[tuple[str | None, str, OutboxStatus]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.method == "conversations.kick")
            .order_by(OutboxMessage.channel)
        )
        return [(row.channel, str(row.payload.get("user")), row.status) for row in rows]


def test_leaving_removes_the_person_from_every_rounds_circle_channel_once(db: Database) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)

    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0ANN", Role.PEER, NOW)  # back as a new member, then gone again
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)

    pending = OutboxStatus.PENDING
    assert removals(db) == [("C0R1", "U0ANN", pending), ("C0R2", "U0ANN", pending)]


def test_erasing_after_leaving_still_removes_the_person_from_their_circle_channels(db: Database) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)

    assert erase_personal_data(db.unit_of_work(), "T0001", "U0ANN", NOW) is True

    assert [(channel, user) for channel, user, _ in removals(db)] == [("C0R1", "U0ANN"), ("C0R2", "U0ANN")]


def test_a_circle_meeting_in_a_group_dm_is_left_as_it_is(db: Database) -> None:
    two_rounds(db, MeetingPlace.GROUP_DM)

    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)

    assert removals(db) == []


def test_a_facilitator_hears_once_who_slack_would_not_let_circles_take_out_of_a_circle_channel(
    db: Database,
) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.name = "PGY-1 <night> & day"
        factories.facilitator(uow.session, cohort, "U0FAC")
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)
    with SlackStandIn() as standin:
        for user in ("U0ANN", "U0FAC"):
            standin.add_user(user)
        standin.error("conversations.kick", "restricted_action", times=None)  # only admins may remove

        pacer = FakeClock().pacer()  # Slack's limits are kept, on a clock that does not wait them out
        for minutes in (0, 1, 2):  # the removals fail; their notices go out; nothing is sent again
            dispatch(deps_for(db, standin), NOW + timedelta(minutes=minutes), options=UNPACED, pacer=pacer)

        told = [call.args["text"] for call in standin.calls("chat.postMessage") if taken(call)]
    assert [status for _, _, status in removals(db)] == [OutboxStatus.FAILED] * 2
    assert len(told) == 2  # once for each circle's channel Ann is still in
    for name, channel in (("circle-pgy1-r1-1", "C0R1"), ("circle-pgy1-r2-1", "C0R2")):
        [text] = [text for text in told if name in text]
        assert "<@U0ANN> left *PGY-1 &lt;night&gt; &amp; day* but is still in" in text
        assert f"(<#{channel}>)" in text
        assert "by hand" in text
