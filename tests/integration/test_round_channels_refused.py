"""A workspace that will not let Circles create channels: Slack is asked once per round, the facilitator
reads one line per circle and what can be changed, and is offered a re-match only where one can seat
someone. With the real dispatcher against the Slack stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.dispatch import DispatchOptions, dispatch
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.db import Database
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.outbox.queue import claim_due
from circles.services.rounds.queue import MILESTONES, resume_round, round_row
from circles.services.rounds.record import step_failed
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, claims_run_out, deps_for
from tests.factories import NOW
from tests.integration.test_round_queue import CLAIM, FAC, confirmed

PACED = DispatchOptions(look_up_dnd=False)
CREATE_GAP = 60 / 20 * 1.05  # conversations.create is Tier 2: 20 a minute, with 5% to spare
UPDATE_GAP = 60 / 50 * 1.05  # chat.update is Tier 3: 50 a minute
REMATCH = "`/circles match pgy1 @someone`"
SETTING = (
    "Slack refused to create channels in this workspace (a workspace setting): a workspace admin can allow "
    "it, or set the cohort to meet in group DMs in `/circles cohort config pgy1`, then `/circles match pgy1` "
    "again."
)
SCOPE = (
    "Slack refused to create channels: Circles was installed without the permission to create private "
    "channels (groups:write). A workspace admin can install it again to grant it, or set the cohort to meet "
    "in group DMs in `/circles cohort config pgy1`, then `/circles match pgy1` again."
)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def people(standin: SlackStandIn, count: int) -> None:
    for user in (FAC, *(f"U0P{n:02d}" for n in range(count))):
        standin.add_user(user)


def circles_of(db: Database, count: int, largest: int) -> int:
    """A confirmed round of `count` people in private channels, in circles of three to `largest`."""
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.NONE, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size, co.circle_max_size = 3, largest
        factories.facilitator(uow.session, co, FAC)
        for n in range(count):
            factories.member(uow.session, co, f"U0P{n:02d}", Role.PEER, flush=False)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan.run_id


def carried_out(db: Database, standin: SlackStandIn, clock: FakeClock | None = None) -> str:
    """Dispatch until nothing is left; what the facilitator's progress message says in the end."""
    pacer = (clock or FakeClock()).pacer()
    dispatch(deps_for(db, standin), NOW, options=PACED, pacer=pacer)
    [posted] = [str(c.args["text"]) for c in standin.calls("chat.postMessage") if c.args["channel"] == FAC]
    updates = [str(c.args["text"]) for c in standin.calls("chat.update")]
    return updates[-1] if updates else posted


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("• ")]


def test_a_workspace_refusing_apps_channels_is_asked_once_and_the_round_does_not_wait_on_slacks_limit(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db, people=30)  # ten circles of three
    people(standin, 30)
    standin.error("conversations.create", "restricted_action", times=None)
    clock = FakeClock()
    started = clock.now

    carried_out(db, standin, clock)

    # Before: ten calls, each refused alike, a Tier 2 turn (3 s) apart: 30 s.
    assert len(standin.calls("conversations.create")) == 1
    # Now one turn of conversations.create, and the progress message's turns (Tier 3) set the pace.
    assert clock.now - started <= CREATE_GAP + (MILESTONES + 1) * UPDATE_GAP
    progress = round_report(db.unit_of_work(), run_id).progress
    assert (progress.finished, progress.failed, progress.total) == (True, 10, 10)


@pytest.mark.parametrize(("code", "advice"), [("restricted_action", SETTING), ("missing_scope", SCOPE)])
def test_the_facilitator_reads_one_line_per_circle_and_what_a_workspace_admin_can_change(
    db: Database, standin: SlackStandIn, code: str, advice: str
) -> None:
    confirmed(db, people=30)
    people(standin, 30)
    standin.error("conversations.create", code, times=None)

    text = carried_out(db, standin)

    assert text.startswith("Done: round 1 of *PGY-1* — 0 of 10 circles and pairs ready, 10 with a problem.")
    assert advice in text
    shown = lines(text)
    assert len(shown) == 10  # before: three a circle, the invitation and the welcome "(no_conversation)"
    assert all(line.endswith(f"its conversation could not be created ({code})") for line in shown)
    assert "no_conversation" not in text
    assert REMATCH not in text  # no circle was made: a re-match has nowhere to seat anyone


def refused_elsewhere(db: Database) -> None:
    """Another process claimed the round's steps, had its first channel refused for the whole workspace
    (`restricted_action`), and died holding the rest: their claims run out."""
    rows = claim_due(db.unit_of_work(), NOW, limit=100, claim_for=CLAIM)
    first = next(row for row in rows if row.method == "conversations.create")
    found = round_row(first.payload)
    assert found is not None
    assert found.step_id is not None
    step_failed(db.unit_of_work(), first.id, first.attempt, found.step_id, "restricted_action", NOW)
    claims_run_out(db)


def test_a_round_whose_channels_slack_refused_in_another_process_asks_slack_for_none_of_the_rest(
    db: Database, standin: SlackStandIn
) -> None:
    confirmed(db, people=30)
    people(standin, 30)
    refused_elsewhere(db)

    dispatch(deps_for(db, standin), NOW, options=PACED, pacer=FakeClock().pacer())

    assert standin.calls("conversations.create") == []


def test_matching_again_once_an_admin_allowed_channels_asks_slack_for_them_again(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db)  # two circles of three
    people(standin, 6)
    refused_elsewhere(db)

    resume_round(db.unit_of_work(), run_id, NOW)  # `/circles match pgy1` while the round is being made
    text = carried_out(db, standin)

    assert len(standin.calls("conversations.create")) == 2
    assert text == "Done: round 1 of *PGY-1* — 2 of 2 circles and pairs ready."


def test_a_circle_slack_refused_alone_leaves_the_others_made_and_offers_a_seat_in_one_with_room(
    db: Database, standin: SlackStandIn
) -> None:
    circles_of(db, 9, largest=4)  # three circles of three: each has room for a fourth
    people(standin, 9)
    standin.error("conversations.create", "invalid_name_specials", times=1)

    text = carried_out(db, standin)

    assert len(standin.calls("conversations.create")) == 3  # a refusal about one name stops nothing
    assert len(lines(text)) == 1
    assert f"To place someone of a circle that could not be made: {REMATCH}." in text
    assert "workspace admin" not in text


def test_no_seat_is_offered_when_every_circle_made_is_full(db: Database, standin: SlackStandIn) -> None:
    circles_of(db, 9, largest=3)
    people(standin, 9)
    standin.error("conversations.create", "invalid_name_specials", times=1)

    text = carried_out(db, standin)

    assert len(lines(text)) == 1
    # Before: the advice was given, and the re-match answered that every circle is full.
    assert REMATCH not in text
