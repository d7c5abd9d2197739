"""A circle meeting in a group DM with one member Slack refuses (deactivated, gone): the group DM opens with
the others, and the facilitator is told who could not be added, as a private channel's invitation does.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatch import DispatchOptions, dispatch
from bot.views.matching import problem_lines
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.db import Database
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.rounds.steps import round_report
from standin import SlackStandIn
from tests import factories
from tests.dispatching import FakeClock, deps_for
from tests.factories import NOW

FAC = "U0FAC"
PEOPLE = [f"U0P{n:02d}" for n in range(6)]


def round_with_one_refused(db: Database) -> tuple[int, SlackStandIn]:
    """A round of two group-DM circles of three, confirmed and carried out, with U0P05's DM refused."""
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        cohort.pairing_mode, cohort.meeting_place = PairingMode.NONE, MeetingPlace.GROUP_DM
        cohort.circle_min_size = cohort.circle_max_size = 3
        factories.facilitator(uow.session, cohort, FAC)
        for user in PEOPLE:
            factories.member(uow.session, cohort, user, Role.PEER, flush=False)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    with SlackStandIn() as standin:
        for user in (FAC, *PEOPLE):
            standin.add_user(user)
        standin.refuse_dm("U0P05", "user_disabled")
        pacer = FakeClock().pacer()
        for minutes in range(5):
            at = NOW + timedelta(minutes=minutes)
            dispatch(deps_for(db, standin), at, options=DispatchOptions(look_up_dnd=False), pacer=pacer)
    return plan.run_id, standin


def test_a_group_dm_circle_opens_without_the_one_slack_refuses_and_says_who(db: Database) -> None:
    run_id, standin = round_with_one_refused(db)
    opened = [set(call.args["users"].split(",")) for call in standin.calls("conversations.open")]

    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.failed) == (2, 0)  # before: the whole circle failed
    [problem] = problem_lines(report.problems)
    assert problem.startswith("• <@U0P05> could not be added to *circle-pgy1-r1-")
    assert "user_disabled" in problem
    made = [group for group in opened if len(group) > 1 and "U0P05" not in group]
    assert sorted(len(group) for group in made) == [2, 3]  # theirs opened again, without them


def test_the_kickoff_introduces_only_those_in_the_group_dm(db: Database) -> None:
    _, standin = round_with_one_refused(db)
    kickoffs = [str(call.args.get("blocks", "")) for call in standin.calls("chat.postMessage")]
    kickoffs = [blocks for blocks in kickoffs if "U0P0" in blocks]

    assert len(kickoffs) == 2
    # Before, the kickoff named them in a conversation they are not in.
    assert all("U0P05" not in blocks for blocks in kickoffs)
