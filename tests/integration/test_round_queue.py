"""A confirmed round's steps as outbox rows on SQLite and PostgreSQL: queued in order, each recorded once."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.vocabulary import MeetingPlace, OutboxStatus, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, CircleMembership, CreationStep, MatchRun, Member, OutboxMessage
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.outbox.queue import Claimed, claim_due, mark_sent
from circles.services.rounds.queue import resume_round, round_row
from circles.services.rounds.record import step_failed, step_sent
from circles.services.rounds.steps import round_report
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
CLAIM = timedelta(minutes=5)


def confirmed(db: Database, people: int = 6) -> int:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.NONE, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size = co.circle_max_size = 3
        factories.facilitator(uow.session, co, FAC)
        for n in range(people):
            factories.member(uow.session, co, f"U0P{n:02d}", Role.PEER, flush=False)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan.run_id


def claim(db: Database) -> list[Claimed]:
    return claim_due(db.unit_of_work(), NOW, limit=100, claim_for=CLAIM)


def slack_does(db: Database, row: Claimed) -> None:
    """What a dispatcher records when Slack did the row's work."""
    found = round_row(row.payload)
    assert found is not None
    if found.step_id is None:
        mark_sent(db.unit_of_work(), row.id, {"channel": "D0FAC", "ts": "1.0"}, NOW)
    else:
        step_sent(db.unit_of_work(), row.id, found.step_id, {"channel": f"C{found.step_id}"}, NOW)


def methods(rows: list[Claimed]) -> list[str]:
    return sorted(row.method for row in rows)


def one_circle_refused(db: Database) -> tuple[int, list[Claimed], Claimed, int]:
    """A round of two circles whose first step went to a dispatcher, one circle's channel refused for good
    by Slack: the run, the rows claimed, the refused one and its step."""
    run_id = confirmed(db)
    rows = claim(db)
    broken = next(row for row in rows if row.method == "conversations.create")
    found = round_row(broken.payload)
    assert found is not None
    assert found.step_id is not None
    step_failed(db.unit_of_work(), broken.id, broken.attempt, found.step_id, "restricted_action", NOW)
    return run_id, rows, broken, found.step_id


def the_rest_goes(db: Database, rows: list[Claimed], broken: Claimed) -> None:
    """Slack does every other row, and what each queues next, until nothing is left to do."""
    for row in [r for r in rows if r is not broken]:
        slack_does(db, row)
    while due := [row for row in claim(db) if row.method != "chat.update"]:
        for row in due:
            slack_does(db, row)


def test_confirming_queues_each_circles_first_step_and_each_step_queues_the_next(db: Database) -> None:
    run_id = confirmed(db)

    first = claim(db)
    assert methods(first) == ["chat.postMessage", "conversations.create", "conversations.create"]
    for row in first:
        slack_does(db, row)
    second = claim(db)
    assert methods(second) == ["conversations.invite", "conversations.invite"]
    with db.unit_of_work() as uow:
        channels = {c.conversation_id for c in uow.session.scalars(select(Circle))}
    assert {row.channel for row in second} == channels  # each invite goes to its circle's new channel
    for row in second:
        slack_does(db, row)
    for row in claim(db):
        slack_does(db, row)
    updates = claim(db)

    assert {row.method for row in updates} == {"chat.update"}
    assert round_report(db.unit_of_work(), run_id).progress.finished
    with db.unit_of_work() as uow:
        assert set(uow.session.scalars(select(CreationStep.status))) == {StepStatus.DONE}
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE


def test_a_channel_that_cannot_be_made_fails_its_circle_and_the_round_still_completes(db: Database) -> None:
    run_id, rows, broken, _step_id = one_circle_refused(db)
    the_rest_goes(db, rows, broken)

    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.failed, report.progress.total) == (1, 1, 2)
    assert [(p.kind, p.error) for p in report.problems] == [
        (StepKind.CIRCLE_CONVERSATION, "restricted_action"),
        (StepKind.CIRCLE_INVITE, "no_conversation"),
        (StepKind.CIRCLE_KICKOFF, "no_conversation"),
    ]
    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE


def test_two_dispatchers_recording_the_last_two_steps_at_once_complete_the_round(db: Database) -> None:
    run_id = confirmed(db)
    while (rows := claim(db)) and not all(row.method == "chat.postMessage" for row in rows):
        for row in rows:
            slack_does(db, row)
    kickoffs = [row for row in rows if row.channel != FAC]
    assert len(kickoffs) == 2
    barrier = threading.Barrier(2)

    def record(row: Claimed) -> None:
        barrier.wait()
        slack_does(db, row)

    workers = [threading.Thread(target=record, args=(row,)) for row in kickoffs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE
        final = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"round:{run_id}:progress:10")
        ).one()
        assert final.status is OutboxStatus.PENDING  # the "Done" update, queued once


def test_matching_again_while_a_round_is_made_tries_again_a_circle_slack_refused_and_it_completes(
    db: Database,
) -> None:
    run_id, rows, broken, _step_id = one_circle_refused(db)
    assert round_report(db.unit_of_work(), run_id).progress.failed == 1  # the other circle is still to do

    resume_round(db.unit_of_work(), run_id, NOW)  # `/circles match pgy1` while the round is made
    assert round_report(db.unit_of_work(), run_id).progress.failed == 0
    for row in [r for r in rows if r is not broken]:
        slack_does(db, row)
    while due := [row for row in claim(db) if row.method != "chat.update"]:
        for row in due:
            slack_does(db, row)  # Slack takes it this time

    report = round_report(db.unit_of_work(), run_id)
    assert (report.progress.done, report.progress.failed, report.progress.total) == (2, 0, 2)
    assert report.problems == []
    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE


def test_once_a_round_is_through_a_member_of_a_circle_slack_never_made_can_be_re_matched(
    db: Database,
) -> None:
    run_id, rows, broken, step_id = one_circle_refused(db)
    the_rest_goes(db, rows, broken)
    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE
        unmade = uow.session.get_one(CreationStep, step_id).target_id
        member = uow.session.scalars(
            select(Member.slack_user_id)
            .join(CircleMembership, CircleMembership.member_id == Member.id)
            .where(CircleMembership.circle_id == unmade)
        ).first()
    assert member is not None

    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", member, user_id=FAC, is_admin=False, now=NOW)
    # Before, "Already in circle-… this round": the circle never made still seated them. Now they are
    # looked for a place (here every other circle is full, at three of three: the plan says so).
    assert not any("Already in" in note["text"] for note in plan.plan["notes"])
    assert [u["member"] for u in plan.plan["unplaced"]] == [plan.plan["rematch"]["member"]]
