"""Taking someone who left out of their circles' conversations when a circle met in a group DM (the
cohort's circles meet in private channels now, not in an earlier round), on SQLite and PostgreSQL: Slack
cannot remove anyone from a group DM, and the facilitators are not asked to do it by hand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.vocabulary import MeetingPlace, OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.people.membership import leave
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, deps_for, taken
from tests.factories import NOW
from tests.integration.test_circle_exit import UNPACED, removals, two_rounds


def test_a_circle_that_met_in_a_group_dm_is_not_handed_to_the_facilitators_to_empty_by_hand(
    db: Database,
) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)  # round 1's C0R1 was a group DM, before the change
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0FAC")
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)
    with SlackStandIn() as standin:
        for user in ("U0ANN", "U0BO", "U0FAC"):
            standin.add_user(user)
        standin.add_channel("C0R2", "circle-pgy1-r2-1", is_private=True, members=["U0ANN", "U0BO"])
        standin.error("conversations.kick", "method_not_supported_for_channel_type")  # C0R1's, first

        pacer = FakeClock().pacer()  # Slack's limits are kept, on a clock that does not wait them out
        for minutes in (0, 1, 2):
            dispatch(deps_for(db, standin), NOW + timedelta(minutes=minutes), options=UNPACED, pacer=pacer)

        told = [call.args for call in standin.calls("chat.postMessage") if taken(call)]
    assert removals(db) == [
        ("C0R1", "U0ANN", OutboxStatus.FAILED),
        ("C0R2", "U0ANN", OutboxStatus.SENT),
    ]
    assert told == []
