"""Taking someone who left out of their circles' private channels while Slack keeps failing (5xx for
hours, until the outbox gives up), on SQLite and PostgreSQL: they are still in those channels, so the
cohort's facilitators hear once, as when Slack refuses, that they should remove them by hand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.vocabulary import MeetingPlace, OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.people.membership import leave
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, deps_for, taken
from tests.factories import NOW
from tests.integration.test_circle_exit import removals, two_rounds

FEW_TRIES = DispatchOptions(look_up_dnd=False, tries=1, max_attempts=2, backoff=0.0)


def test_facilitators_hear_once_of_a_removal_slack_kept_failing_until_it_was_given_up(db: Database) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0FAC")
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)
    with SlackStandIn() as standin:
        for user in ("U0ANN", "U0FAC"):
            standin.add_user(user)
        standin.error("conversations.kick", "service_unavailable", times=None)

        pacer = FakeClock().pacer()  # Slack's limits are kept, on a clock that does not wait them out
        for hours in range(5):
            dispatch(deps_for(db, standin), NOW + timedelta(hours=hours), options=FEW_TRIES, pacer=pacer)

        told = [call.args["text"] for call in standin.calls("chat.postMessage") if taken(call)]
    assert [status for _, _, status in removals(db)] == [OutboxStatus.FAILED] * 2
    assert len(told) == 2  # once for each circle's channel Ann may still be in
    assert all("<@U0ANN> left *PGY-1* but is still in" in text and "by hand" in text for text in told)
