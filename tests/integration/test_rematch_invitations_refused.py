"""A re-match's newcomer Slack would not let into a circle that already meets, and someone refused who later
leaves, carried out by the dispatcher against the stand-in on SQLite and PostgreSQL: the circle and the people
in it are kept as they were; only the newcomer is without a circle, and nobody is taken out of a channel they
were never in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round
from circles.services.people.membership import leave
from circles.services.people.status import my_status
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, deps_for
from tests.integration.test_round_invitations_refused import (
    FAC,
    LATER,
    TWO_ATTEMPTS,
    carried_out,
    channels,
    kickoffs,
    open_circles,
    previewed,
)

NEW = "U0NEW"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def a_round_then_a_newcomer(db: Database, standin: SlackStandIn) -> int:
    """A round carried out whole, then a newcomer joins and is re-matched into a circle with room: the
    re-match, confirmed."""
    run_id, _ = previewed(db)
    carried_out(db, standin, run_id)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        factories.member(uow.session, cohort, NEW, Role.PEER, at=LATER)
        uow.commit()
    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", NEW, user_id=FAC, is_admin=False, now=LATER)
    assert len(plan.plan["joins"]) == 1
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=LATER)
    return plan.run_id


def dispatched(db: Database, standin: SlackStandIn) -> None:
    pacer = FakeClock().pacer()
    for minutes in range(0, 60, 2):
        dispatch(deps_for(db, standin), LATER + timedelta(minutes=minutes), options=TWO_ATTEMPTS, pacer=pacer)


def newcomers_circles(db: Database) -> tuple[object, ...]:
    [cohort] = my_status(db.unit_of_work(), "T0001", NEW, LATER + timedelta(days=1))
    return cohort.circles


def test_a_newcomer_slack_refuses_leaves_the_circle_they_were_to_join_as_it_was(
    db: Database, standin: SlackStandIn
) -> None:
    rematch = a_round_then_a_newcomer(db, standin)
    standin.add_user(NEW, deleted=True)
    welcomed = len(kickoffs(standin))

    dispatched(db, standin)

    assert sorted(map(len, channels(standin).values())) == [3, 3]
    assert len(open_circles(db)) == 2  # the circle they were to join still meets
    assert len(kickoffs(standin)) == welcomed  # no second welcome, greeting nobody new
    assert newcomers_circles(db) == ()
    assert round_report(db.unit_of_work(), rematch).progress.failed == 1


def test_a_newcomer_whose_invitation_slack_kept_failing_is_let_go_and_the_circle_kept(
    db: Database, standin: SlackStandIn
) -> None:
    rematch = a_round_then_a_newcomer(db, standin)
    standin.add_user(NEW)
    standin.fail("conversations.invite", status=503, times=None)

    dispatched(db, standin)

    assert len(open_circles(db)) == 2  # not closed as never made: its people are in it
    assert newcomers_circles(db) == ()
    assert round_report(db.unit_of_work(), rematch).progress.failed == 1


def test_someone_slack_refused_who_leaves_is_not_taken_out_of_a_channel_they_were_never_in(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, groups = previewed(db)
    refused = groups[0][0]
    carried_out(db, standin, run_id, refused=[refused])

    leave(db.unit_of_work(), "T0001", "pgy1", refused, LATER)
    dispatched(db, standin)

    assert [c.args for c in standin.calls("conversations.kick")] == []
    # Nor are the facilitators asked to take them out by hand, as when Slack refuses a removal.
    [progress] = [c for c in standin.calls("chat.postMessage") if c.args["channel"] == FAC]
    assert progress.args["text"].startswith("Creating: round 1")
