"""A round's creation steps for a pair or circle that stopped running between Confirm and Slack, on SQLite and
PostgreSQL: an ended pair or an emptied circle is settled as no longer needed, never made or greeted in Slack;
a paused pair is still made, so that it has somewhere to resume."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace, PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import CreationStep, MatchRun, Member, Partnership
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.changes import end_partnership, pause_partnership
from circles.services.people.membership import leave
from circles.services.rounds.queue import round_row
from circles.services.rounds.record import step_sent
from circles.services.rounds.steps import round_report
from standin import Call, SlackStandIn
from tests import factories
from tests.dispatching import NOW, UNPACED, deps_for, taken

FAC = "U0FAC"
COACHING = {"U0C1": Role.COACH, "U0C2": Role.COACH, "U0L1": Role.LEARNER, "U0L2": Role.LEARNER}
PEERS = {f"U0P{n}": Role.PEER for n in range(6)}
CLAIM = timedelta(minutes=5)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def confirmed(db: Database, standin: SlackStandIn, people: dict[str, Role], mode: PairingMode) -> int:
    """A cohort of `people` (coaches with room for one learner each) whose first round is confirmed."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = mode, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size = co.circle_max_size = 3 if mode is PairingMode.NONE else 4
        factories.facilitator(uow.session, co, FAC, flush=False)
        for user, role in people.items():
            factories.member(uow.session, co, user, role, flush=False)
            factories.profile(uow.session, ws, user, flush=False).capacity = 1
        uow.commit()
    for user in (FAC, *people):
        standin.add_user(user)
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan.run_id


def pair_of(db: Database, learner: str) -> tuple[int, str]:
    """The learner's partnership and their coach's Slack user."""
    with db.unit_of_work() as uow:
        me = uow.session.scalars(select(Member).where(Member.slack_user_id == learner)).one()
        pair = uow.session.scalars(select(Partnership).where(Partnership.second_member_id == me.id)).one()
        return pair.id, uow.session.get_one(Member, pair.first_member_id).slack_user_id


def pair_steps(db: Database, pair_id: int) -> dict[StepKind, StepStatus]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(CreationStep).where(
                CreationStep.target_id == pair_id,
                CreationStep.kind.in_([StepKind.PAIR_CONVERSATION, StepKind.PAIR_KICKOFF]),
            )
        )
        return {step.kind: step.status for step in rows}


def opened(standin: SlackStandIn) -> list[set[str]]:
    """The people of each conversation Slack opened for the app."""
    return [set(str(c.args["users"]).split(",")) for c in standin.calls("conversations.open") if taken(c)]


def kickoffs(standin: SlackStandIn) -> list[Call]:
    return [
        c
        for c in standin.calls("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_type") == "circles_kickoff" and taken(c)
    ]


def run_status(db: Database, run_id: int) -> RunStatus:
    with db.unit_of_work() as uow:
        return uow.session.get_one(MatchRun, run_id).status


def test_a_learner_who_leaves_before_their_pair_is_made_gets_no_conversation_and_no_kickoff(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db, standin, COACHING, PairingMode.COACH_LEARNER)
    gone_pair, coach = pair_of(db, "U0L1")
    kept_pair, kept_coach = pair_of(db, "U0L2")

    leave(db.unit_of_work(), "T0001", "pgy1", "U0L1", NOW)
    dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert {coach} not in opened(standin)  # never a "conversation" of the coach alone
    assert {kept_coach, "U0L2"} in opened(standin)
    assert pair_steps(db, gone_pair) == {
        StepKind.PAIR_CONVERSATION: StepStatus.NOT_NEEDED,
        StepKind.PAIR_KICKOFF: StepStatus.NOT_NEEDED,
    }
    assert pair_steps(db, kept_pair) == {
        StepKind.PAIR_CONVERSATION: StepStatus.DONE,
        StepKind.PAIR_KICKOFF: StepStatus.DONE,
    }
    progress = round_report(db.unit_of_work(), run_id).progress
    assert (progress.not_needed, progress.failed, progress.finished) == (1, 0, True)
    assert progress.done == progress.total - 1
    assert run_status(db, run_id) is RunStatus.COMPLETE
    shown = str(standin.calls("chat.update")[-1].args["text"])
    assert shown.startswith("Done:")
    assert ", 1 no longer needed." in shown


def test_a_pair_ended_by_a_partner_before_it_is_made_is_never_opened_nor_welcomed(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db, standin, COACHING, PairingMode.COACH_LEARNER)
    ended, _ = pair_of(db, "U0L1")
    _, kept_coach = pair_of(db, "U0L2")

    end_partnership(db.unit_of_work(), "T0001", "U0L1", ended, "", NOW, request_key=factories.request_key())
    dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert opened(standin) == [{kept_coach, "U0L2"}]  # the ended pair is never opened
    assert len(kickoffs(standin)) == 1 + len(round_report(db.unit_of_work(), run_id).plan.plan["circles"])
    assert set(pair_steps(db, ended).values()) == {StepStatus.NOT_NEEDED}
    report = round_report(db.unit_of_work(), run_id)
    assert report.problems == []  # an ending is no problem to fix
    assert (report.progress.not_needed, report.progress.finished) == (1, True)
    assert run_status(db, run_id) is RunStatus.COMPLETE


def test_a_pair_paused_before_it_is_made_still_gets_its_conversation_to_resume_in(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db, standin, COACHING, PairingMode.COACH_LEARNER)
    paused, coach = pair_of(db, "U0L1")

    pause_partnership(db.unit_of_work(), "T0001", "U0L1", paused, NOW, request_key=factories.request_key())
    dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert {coach, "U0L1"} in opened(standin)
    assert set(pair_steps(db, paused).values()) == {StepStatus.DONE}
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, paused)
        assert (pair.status, pair.conversation_id is not None) == (PartnershipStatus.PAUSED, True)
    assert run_status(db, run_id) is RunStatus.COMPLETE


def test_a_pair_that_ends_after_its_conversation_gets_no_kickoff_from_the_worker_that_resumes_it(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db, standin, COACHING, PairingMode.COACH_LEARNER)
    ended, _ = pair_of(db, "U0L1")
    # The first worker makes the pair's conversation, then claims its kickoff and dies before sending it.
    first = claim_due(db.unit_of_work(), NOW, limit=100, claim_for=CLAIM)
    made = next(row for row in first if row.method == "conversations.open" and _target(db, row) == str(ended))
    found = round_row(made.payload)
    assert found is not None
    assert found.step_id is not None
    step_sent(db.unit_of_work(), made.id, found.step_id, {"channel": "G0ENDED"}, NOW)
    claimed = claim_due(db.unit_of_work(), NOW, limit=100, claim_for=CLAIM)
    assert any(row.channel == "G0ENDED" for row in claimed)

    end_partnership(db.unit_of_work(), "T0001", "U0L1", ended, "", NOW, request_key=factories.request_key())
    dispatch(deps_for(db, standin), NOW + CLAIM + timedelta(minutes=1), options=UNPACED)

    assert [c for c in standin.calls("chat.postMessage") if c.args.get("channel") == "G0ENDED"] == []
    assert pair_steps(db, ended) == {
        StepKind.PAIR_CONVERSATION: StepStatus.DONE,
        StepKind.PAIR_KICKOFF: StepStatus.NOT_NEEDED,
    }
    progress = round_report(db.unit_of_work(), run_id).progress
    assert (progress.not_needed, progress.finished) == (1, True)
    assert run_status(db, run_id) is RunStatus.COMPLETE


def test_a_circle_whose_every_member_left_before_it_was_made_is_not_made(
    db: Database, standin: SlackStandIn
) -> None:
    run_id = confirmed(db, standin, PEERS, PairingMode.NONE)
    circles = round_report(db.unit_of_work(), run_id).plan.plan["circles"]
    assert len(circles) == 2
    with db.unit_of_work() as uow:
        users = {m.id: m.slack_user_id for m in uow.session.scalars(select(Member))}
    for member_id in circles[0]["members"]:
        leave(db.unit_of_work(), "T0001", "pgy1", users[member_id], NOW)

    dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert len([c for c in standin.calls("conversations.create") if taken(c)]) == 1
    assert len(kickoffs(standin)) == 1
    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.not_needed, report.progress.failed) == (1, 1, 0)
    assert report.problems == []
    assert run_status(db, run_id) is RunStatus.COMPLETE


def _target(db: Database, row: object) -> str:
    """The partnership id of a claimed step row, as text ('' for anything else)."""
    found = round_row(getattr(row, "payload", {}))
    if found is None or found.step_id is None:
        return ""
    with db.unit_of_work() as uow:
        step = uow.session.get_one(CreationStep, found.step_id)
        return str(step.target_id) if step.kind is StepKind.PAIR_CONVERSATION else ""
