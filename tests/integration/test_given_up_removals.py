"""Taking someone who left out of their circles' private channels, when every dispatcher that claims the
removal dies holding it until the outbox gives it up: they are still in those channels, so the cohort's
facilitators hear once, as when Slack kept failing, that they should remove them by hand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.vocabulary import MeetingPlace, OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.outbox.queue import claim_due
from circles.services.people.membership import leave
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, deps_for, taken
from tests.factories import NOW
from tests.integration.test_circle_exit import removals, two_rounds

CLAIM = timedelta(minutes=5)
TWO_ATTEMPTS = DispatchOptions(look_up_dnd=False, max_attempts=2, claim_for=CLAIM)


def ann_left(db: Database) -> None:
    """Ann leaves a cohort whose circles met in private channels, run by U0FAC."""
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0FAC")
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)


def test_facilitators_hear_once_of_a_removal_whose_dispatchers_kept_dying_until_it_was_given_up(
    db: Database,
) -> None:
    ann_left(db)
    for n in range(2):  # each dispatcher dies holding the removals
        claim_due(db.unit_of_work(), NOW + (CLAIM * 2) * n, limit=50, claim_for=CLAIM, max_attempts=2)
    with SlackStandIn() as standin:
        for user in ("U0ANN", "U0FAC"):
            standin.add_user(user)
        pacer = FakeClock().pacer()  # Slack's limits are kept, on a clock that does not wait them out
        for minutes in (20, 21, 22):  # the claim that gives them up, then the notices
            at = NOW + timedelta(minutes=minutes)
            dispatch(deps_for(db, standin), at, options=TWO_ATTEMPTS, pacer=pacer)
        told = [call.args["text"] for call in standin.calls("chat.postMessage") if taken(call)]
        assert standin.calls("conversations.kick") == []
    assert [status for _, _, status in removals(db)] == [OutboxStatus.FAILED] * 2
    assert len(told) == 2  # once for each circle's channel Ann may still be in
    assert all("<@U0ANN> left *PGY-1* but is still in" in text and "by hand" in text for text in told)


def test_facilitators_hear_of_a_removal_given_up_by_a_claim_whose_process_died_just_after(
    db: Database,
) -> None:
    ann_left(db)
    for n in range(3):  # two dispatchers die holding the removals; the third gives them up, and dies
        claim_due(db.unit_of_work(), NOW + (CLAIM * 2) * n, limit=50, claim_for=CLAIM, max_attempts=2)
    with SlackStandIn() as standin:
        for user in ("U0ANN", "U0FAC"):
            standin.add_user(user)
        pacer = FakeClock().pacer()  # Slack's limits are kept, on a clock that does not wait them out
        dispatch(deps_for(db, standin), NOW + timedelta(minutes=20), options=TWO_ATTEMPTS, pacer=pacer)
        told = [call.args["text"] for call in standin.calls("chat.postMessage") if taken(call)]
    assert [status for _, _, status in removals(db)] == [OutboxStatus.FAILED] * 2
    assert len(told) == 2


def test_a_removal_given_up_in_a_cohort_with_no_facilitator_who_can_read_it_is_told_to_the_admins(
    db: Database,
) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)  # a cohort nobody facilitates now
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)
    for n in range(2):  # each dispatcher dies holding the removals
        claim_due(db.unit_of_work(), NOW + (CLAIM * 2) * n, limit=50, claim_for=CLAIM, max_attempts=2)
    with SlackStandIn() as standin:
        for user in ("U0ANN", "U0ADM"):
            standin.add_user(user)
        pacer = FakeClock().pacer()
        for minutes in (20, 21, 22):
            at = NOW + timedelta(minutes=minutes)
            dispatch(deps_for(db, standin, admins=["U0ADM"]), at, options=TWO_ATTEMPTS, pacer=pacer)
        told = [call.args for call in standin.calls("chat.postMessage") if taken(call)]
    assert [status for _, _, status in removals(db)] == [OutboxStatus.FAILED] * 2
    assert [args["channel"] for args in told] == ["U0ADM", "U0ADM"]  # not nobody: the admins remove her
    assert all("<@U0ANN> left *PGY-1* but is still in" in args["text"] for args in told)
