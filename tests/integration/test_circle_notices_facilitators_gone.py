"""What a circle's facilitators are told (a circle left short, its conversation lost or restricted, someone
Slack would not take out of its channel) when none of them can read it, on SQLite and PostgreSQL: their
only facilitator's Slack account is deactivated (Slack still takes DMs to it; nobody reads them), or the
cohort has none. It goes to the admins instead, as support requests and alerts do, and the one left alone
in a circle is pointed to `/circles support` rather than told "your facilitators know"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.gateway.record import Recorder
from bot.messages import render
from circles.domain.vocabulary import MeetingPlace
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Facilitator, GoneAccount, OutboxMessage
from circles.services.outbox.queue import claim_due
from circles.services.people.circle_exit import KICK
from circles.services.people.left_slack import left_slack
from circles.services.people.membership import leave
from circles.services.planning import plan
from standin import SlackStandIn
from tests import factories
from tests.factories import NOW
from tests.integration.planning_world import GRACE
from tests.integration.test_circle_conversation_lost import MONDAY, two_rounds
from tests.integration.test_circle_exit import two_rounds as rounds_in
from tests.integration.test_circle_shrinks import FAC, notices_to, programme
from tests.integration.test_round_invitations_refused import (
    carried_out,
    channels,
    previewed,
    said_to,
    standin,
)

__all__ = ["standin"]  # fixture: Slack's stand-in

ADMIN = "U0ADM"
LEAVERS = ("U0ANN", "U0BO", "U0CY")  # round 2's small circle, all but Di


def gone(db: Database) -> set[str]:
    with db.unit_of_work() as uow:
        return set(uow.session.scalars(select(GoneAccount.slack_user_id)))


def told(db: Database, words: str) -> list[str]:
    """Who was sent a plain notice holding these words."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [
            str(r.channel)
            for r in rows
            if r.payload.get("template") == "plain" and words in render("plain", r.payload["args"]).text
        ]


def prompt_into(db: Database, channel: str, error: str, admins: list[str]) -> None:
    """Plan the week and have Slack refuse the circle prompt into `channel` with `error`, recorded by a
    dispatcher that knows the admins."""
    with db.unit_of_work() as uow:
        plan(uow.session, MONDAY, grace=GRACE, look_back=GRACE)
        uow.commit()
    later, claim_for = MONDAY + timedelta(hours=2), timedelta(minutes=5)
    claimed = claim_due(db.unit_of_work(), later, limit=100, claim_for=claim_for)
    recorder = Recorder(db, admins)
    for row in claimed:
        if row.channel == channel:
            recorder.failed(row, error, MONDAY)


def no_facilitators(db: Database) -> None:
    with db.unit_of_work() as uow:
        for facilitator in uow.session.scalars(select(Facilitator)):
            uow.session.delete(facilitator)
        uow.commit()


def test_alone_in_a_circle_whose_only_facilitator_left_slack_is_not_told_facilitators_know(
    db: Database,
) -> None:
    programme(db)
    left_slack(db, "T0001", FAC, MONDAY)  # the cohort's only facilitator is deactivated in Slack
    assert FAC in gone(db)

    for user in LEAVERS:
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY)

    [alone] = notices_to(db, "U0DI")
    # The only hearer is a deactivated account: Di should be pointed to /circles support (admins hear it).
    assert "your facilitators know" not in alone, alone
    assert "/circles support" in alone
    assert told(db, "is down to") == []  # nobody reads the deactivated account's DMs


def test_a_circle_left_short_whose_only_facilitator_left_slack_is_told_to_the_admins(db: Database) -> None:
    programme(db)
    left_slack(db, "T0001", FAC, MONDAY)

    for user in LEAVERS:
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY, admins=[ADMIN])

    assert told(db, "is down to") == [ADMIN] * 3  # down to 3, to 2, to 1
    [alone] = notices_to(db, "U0DI")
    assert "your facilitators know" not in alone  # the admins are not their facilitators
    assert "/circles support" in alone


def test_a_circle_left_short_is_told_to_a_facilitator_who_can_read_it_and_not_to_the_admins(
    db: Database,
) -> None:
    programme(db)

    for user in LEAVERS:
        leave(db.unit_of_work(), "T0001", "pgy1", user, MONDAY, admins=[ADMIN])

    assert told(db, "is down to") == [FAC] * 3
    [alone] = notices_to(db, "U0DI")
    assert "your facilitators know" in alone


def test_circle_conversation_lost_with_only_a_deactivated_facilitator_reaches_someone_who_can_read(
    db: Database,
) -> None:
    two_rounds(db)
    left_slack(db, "T0001", "U0FAC", MONDAY)  # the cohort's only facilitator is deactivated in Slack

    prompt_into(db, "C0GONE", "is_archived", [ADMIN])

    readers = set(told(db, "can no longer post")) - gone(db)
    assert readers == {ADMIN}, f"only deactivated accounts told: {told(db, 'can no longer post')}"


def test_a_lost_circle_conversation_in_a_cohort_without_facilitators_is_told_to_the_admins(
    db: Database,
) -> None:
    two_rounds(db)
    no_facilitators(db)

    prompt_into(db, "C0GONE", "channel_not_found", [ADMIN])

    assert told(db, "can no longer post") == [ADMIN]


def test_restricted_posting_with_only_a_deactivated_facilitator_is_told_to_the_admins(db: Database) -> None:
    two_rounds(db)
    left_slack(db, "T0001", "U0FAC", MONDAY)

    prompt_into(db, "C0GONE", "restricted_action", [ADMIN])

    assert told(db, "posting there is restricted") == [ADMIN]


def test_a_lost_circle_conversation_goes_to_its_facilitator_alone_when_they_can_read_it(db: Database) -> None:
    two_rounds(db)

    prompt_into(db, "C0GONE", "is_archived", [ADMIN])

    assert told(db, "can no longer post") == ["U0FAC"]


def test_someone_slack_would_not_take_out_of_a_circle_channel_is_told_to_the_admins_when_no_facilitator_reads(
    db: Database,
) -> None:
    rounds_in(db, MeetingPlace.PRIVATE_CHANNEL)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0FAC")
        uow.commit()
    left_slack(db, "T0001", "U0FAC", NOW)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)

    recorder = Recorder(db, [ADMIN])
    for row in claim_due(db.unit_of_work(), NOW, limit=100, claim_for=timedelta(minutes=5)):
        if row.method == KICK:
            recorder.failed(row, "restricted_action", NOW)  # only Slack's admins may remove people

    assert told(db, "by hand") == [ADMIN, ADMIN]  # once for each circle's channel Ann is still in


def test_the_one_slack_let_into_a_circle_whose_only_facilitator_left_slack_is_pointed_to_support(
    db: Database, standin: SlackStandIn
) -> None:
    run_id, groups = previewed(db)
    left_slack(db, "T0001", "U0FAC", NOW)  # the round's facilitator is deactivated before it is carried out
    *refused, alone = groups[0]

    carried_out(db, standin, run_id, refused=refused)

    assert any(people == {alone} for people in channels(standin).values())
    [notice] = [text for text in said_to(standin, alone) if "into its channel, so it will not meet" in text]
    assert "your facilitators know" not in notice
    assert "`/circles support`" in notice
