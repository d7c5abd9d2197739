"""A pair whose conversation Slack never opened (refused, or retries ran out), once its round is through: it
ends as never made, unannounced; its people can be matched again, with each other too, and no report or
export counts it as a partnership."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.views.matching import problem_lines, progress_text
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import EndReason, MeetingPlace, PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, MatchRun, Member, OutboxMessage, Partnership
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.outbox.queue import claim_due, mark_sent
from circles.services.reports.build import cohort_report
from circles.services.rounds.queue import round_row
from circles.services.rounds.record import step_failed, step_sent
from circles.services.rounds.steps import round_report
from tests import factories
from tests.factories import NOW
from tests.integration.research.test_export import export, seed, table

FAC, COACH, LEARNER = "U0FAC", "U0C1", "U0L1"
CLAIM = timedelta(minutes=5)
LATER = NOW + timedelta(days=1)


def coach_and_learner_confirmed(db: Database) -> int:
    """A round of one coach and one learner, confirmed by their facilitator: its run."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.COACH_LEARNER, MeetingPlace.PRIVATE_CHANNEL
        factories.facilitator(uow.session, co, FAC)
        for user, role in ((COACH, Role.COACH), (LEARNER, Role.LEARNER)):
            factories.member(uow.session, co, user, role)
            factories.profile(uow.session, ws, user).capacity = 1
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    assert len(plan.plan["pairs"]) == 1
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    return plan.run_id


def round_whose_pair_slack_never_opened(db: Database) -> int:
    """A round of one coach and one learner whose group DM Slack refused: the round is through."""
    run_id = coach_and_learner_confirmed(db)
    while rows := claim_due(db.unit_of_work(), NOW, limit=100, claim_for=CLAIM):
        for row in rows:
            found = round_row(row.payload)
            assert found is not None
            if found.step_id is None:
                mark_sent(db.unit_of_work(), row.id, {"channel": "D0FAC", "ts": "1.0"}, NOW)
            elif row.method == "conversations.open":
                step_failed(db.unit_of_work(), row.id, row.attempt, found.step_id, "ratelimited", NOW)
            else:
                step_sent(db.unit_of_work(), row.id, found.step_id, {"channel": f"C{found.step_id}"}, NOW)
    with db.unit_of_work() as uow:
        assert uow.session.get_one(MatchRun, run_id).status is RunStatus.COMPLETE
    return run_id


def the_pair(db: Database) -> Partnership:
    with db.unit_of_work() as uow:
        pair = uow.session.scalars(select(Partnership)).one()
        uow.session.expunge(pair)
        return pair


def test_a_pair_slack_never_opened_ends_as_never_made_once_its_round_is_through(db: Database) -> None:
    round_whose_pair_slack_never_opened(db)
    pair = the_pair(db)
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.NEVER_MADE)
    assert pair.conversation_id is None


def test_neither_partner_of_a_pair_never_made_hears_anything(db: Database) -> None:
    round_whose_pair_slack_never_opened(db)
    with db.unit_of_work() as uow:
        told = set(uow.session.scalars(select(OutboxMessage.channel)))
    assert told.isdisjoint({COACH, LEARNER})


def test_the_learner_of_a_pair_never_made_can_be_re_matched_with_the_same_coach(db: Database) -> None:
    round_whose_pair_slack_never_opened(db)
    with db.unit_of_work() as uow:
        ids = dict(uow.session.execute(select(Member.slack_user_id, Member.id)).all())
    rematch = preview_rematch(
        db.unit_of_work(), "T0001", "pgy1", LEARNER, user_id=FAC, is_admin=False, now=LATER
    )
    # Before: "Already has a partner; end that partnership first", and ending it kept the two apart for good.
    assert not any("Already has a partner" in note["text"] for note in rematch.plan["notes"])
    assert [(p["first"], p["second"]) for p in rematch.plan["pairs"]] == [(ids[COACH], ids[LEARNER])]
    assert rematch.plan["repeats"] == 0  # they never met: no repeat either


def test_the_next_round_may_pair_the_two_of_a_pair_never_made_again(db: Database) -> None:
    round_whose_pair_slack_never_opened(db)
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER)
    assert plan.plan["kept_apart"] == []
    assert len(plan.plan["pairs"]) == 1


def test_the_finished_round_tells_the_facilitator_the_pair_was_not_made_and_how_to_match_them(
    db: Database,
) -> None:
    run_id = round_whose_pair_slack_never_opened(db)
    report = round_report(db.unit_of_work(), run_id)
    text = progress_text(report.plan, report.progress, problem_lines(report.problems))
    assert text.startswith("Done: round 1 of *PGY-1* — 0 of 1 circles and pairs ready, 1 with a problem.")
    assert (
        "The pair whose conversation could not be opened has ended unmade (nobody was introduced): each "
        "person in it can be matched again, with `/circles match pgy1 @someone` or in the next round."
    ) in text
    assert f"<@{COACH}> and <@{LEARNER}>: their conversation could not be opened (ratelimited)" in text
    assert "circle that could not be made" not in text  # no circle had a problem


def test_a_report_counts_a_pair_never_made_neither_running_nor_ended_early(db: Database) -> None:
    round_whose_pair_slack_never_opened(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        report = cohort_report(uow.session, cohort, LATER, individual=True)
    assert (report.endings.total, report.endings.ended_early) == (0, 0)
    assert report.individual == ()


def test_a_research_export_leaves_a_pair_never_made_out(db: Database) -> None:
    seed(db, 6)
    with db.unit_of_work() as uow:
        first = min(uow.session.scalars(select(Partnership.id)))
        uow.session.execute(
            update(Partnership)
            .where(Partnership.id == first)
            .values(status=PartnershipStatus.ENDED, end_reason=EndReason.NEVER_MADE)
        )
        uow.commit()
    pairs = table(export(db), "partnerships")
    assert len(pairs) == 5
    assert all(row["end_reason"] != EndReason.NEVER_MADE.value for row in pairs)
