"""An export as of an earlier instant (`--now`) holds the cohort as it stood then: nobody who joined later,
no pair that started later, and no end or leave that came later."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from circles.domain.escalations import Action
from circles.domain.vocabulary import EndReason, EscalationStatus, MemberStatus, PartnershipStatus
from circles.persistence.db import Database
from circles.persistence.models import (
    CheckIn,
    Escalation,
    EscalationEvent,
    HealthRecord,
    Member,
    Partnership,
)
from tests.integration.research.test_export import NOW, START, export, seed, table

LATER = NOW + timedelta(weeks=1)


def _members(first: int) -> list[str]:
    return [f"U0{role}{n:06d}" for role in "CL" for n in range(first, first + 5)]


def changed_after_now(db: Database) -> None:
    """Five pairs running at NOW, which all end a week later as their members leave; and five more pairs,
    of members who join only then, started then and ended three days on. Everyone consented at the start."""
    seed(db, 5)
    seed(db, 5, first=5)
    with db.unit_of_work() as uow:
        s = uow.session
        early = s.scalars(select(Member.id).where(Member.slack_user_id.in_(_members(0)))).all()
        late = s.scalars(select(Member.id).where(Member.slack_user_id.in_(_members(5)))).all()
        later_pairs = select(Partnership.id).where(Partnership.first_member_id.in_(late))
        late_pairs = s.scalars(later_pairs).all()
        for row in (CheckIn, HealthRecord, Escalation):  # a pair that has not started has none of these
            s.execute(delete(row).where(row.partnership_id.in_(late_pairs)))
        s.execute(update(Member).where(Member.id.in_(late)).values(joined_at=LATER))
        s.execute(update(Member).where(Member.id.in_(early)).values(status=MemberStatus.LEFT, left_at=LATER))
        s.execute(
            update(Partnership)
            .where(Partnership.id.in_(late_pairs))
            .values(
                started_at=LATER,
                ended_at=LATER + timedelta(days=3),
                status=PartnershipStatus.ENDED,
                end_reason=EndReason.NO_FAULT,
            )
        )
        s.execute(
            update(Partnership)
            .where(Partnership.id.not_in(late_pairs))
            .values(ended_at=LATER, status=PartnershipStatus.ENDED, end_reason=EndReason.MEMBER_LEFT)
        )
        uow.commit()


def test_an_export_as_of_an_earlier_instant_holds_no_one_who_joined_and_no_pair_that_started_after_it(
    db: Database,
) -> None:
    changed_after_now(db)
    made = export(db, NOW)
    assert (made.included, made.left_out) == (10, 0)
    assert len(table(made, "people")) == 10
    assert {row["joined_week"] for row in table(made, "people")} == {"2027-W01"}
    pairs = table(made, "partnerships")
    assert len(pairs) == 5
    assert {row["started_week"] for row in pairs} == {"2027-W01"}


def test_an_end_and_a_leave_after_the_instant_have_not_happened_yet_in_its_export(db: Database) -> None:
    changed_after_now(db)
    made = export(db, NOW)
    assert {(row["ended_week"], row["end_reason"]) for row in table(made, "partnerships")} == {("", "")}
    assert {(row["left_week"], row["status"]) for row in table(made, "people")} == {("", "active")}


def test_an_export_made_after_the_ends_and_leaves_shows_them(db: Database) -> None:
    changed_after_now(db)
    made = export(db, LATER + timedelta(days=4))
    assert made.included == 20
    ends = sorted(
        (row["started_week"], row["ended_week"], row["end_reason"]) for row in table(made, "partnerships")
    )
    assert ends == [("2027-W01", "2027-W08", "member_left")] * 5 + [("2027-W08", "2027-W08", "no_fault")] * 5
    people = table(made, "people")
    assert sorted(row["left_week"] for row in people) == [""] * 10 + ["2027-W08"] * 10


def test_a_pause_after_the_instant_has_not_happened_yet_in_its_export(db: Database) -> None:
    seed(db, 5)
    with db.unit_of_work() as uow:  # a week after NOW, every learner pauses, with no end date
        pause = [[LATER.isoformat(), None]]
        learners = Member.slack_user_id.like("U0L%")
        uow.session.execute(update(Member).where(learners).values(status=MemberStatus.PAUSED, pauses=pause))
        uow.commit()

    then, now = export(db, NOW), export(db, LATER + timedelta(days=1))

    assert {row["status"] for row in table(then, "people")} == {"active"}
    assert sorted(row["status"] for row in table(now, "people")) == ["active"] * 5 + ["paused"] * 5


def _escalations_changed(db: Database, **values: object) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(update(Escalation).values(**values))
        uow.commit()


def _snoozed(db: Database, at: datetime, days: int) -> None:
    """Every escalation put aside at `at` for `days`, as the audit trail keeps it."""
    with db.unit_of_work() as uow:
        s = uow.session
        for escalation in s.scalars(select(Escalation)).all():
            escalation.status, escalation.snoozed_until = EscalationStatus.SNOOZED, at + timedelta(days=days)
            s.add(
                EscalationEvent(
                    workspace_id=escalation.workspace_id,
                    escalation_id=escalation.id,
                    actor="U0FAC00001",
                    action=Action.SNOOZED.value,
                    detail={"days": days},
                    at=at,
                )
            )
        uow.commit()


def test_a_claim_and_an_outcome_after_the_instant_have_not_happened_yet_in_its_export(db: Database) -> None:
    seed(db, 5)  # alerts opened at START, claimed 30 hours on
    _escalations_changed(
        db, status=EscalationStatus.RESOLVED, resolved_at=START + timedelta(days=10), outcome="rematched"
    )

    before_claim, claimed = export(db, START + timedelta(hours=1)), export(db, START + timedelta(days=2))
    resolved = export(db, START + timedelta(days=11))

    rows = table(before_claim, "escalation_outcomes")
    assert {(row["claimed_after_days"], row["outcome"]) for row in rows} == {("", "open")}
    rows = table(claimed, "escalation_outcomes")
    assert {(row["claimed_after_days"], row["outcome"]) for row in rows} == {("1", "claimed")}
    rows = table(resolved, "escalation_outcomes")
    assert {(row["claimed_after_days"], row["outcome"]) for row in rows} == {("1", "rematched")}


def test_an_alert_snoozed_after_the_instant_is_not_snoozed_yet_in_its_export(db: Database) -> None:
    seed(db, 5)
    _snoozed(db, START + timedelta(days=3), days=7)

    before, during = export(db, START + timedelta(days=2)), export(db, START + timedelta(days=4))

    assert {row["outcome"] for row in table(before, "escalation_outcomes")} == {"claimed"}
    assert {row["outcome"] for row in table(during, "escalation_outcomes")} == {"snoozed"}


def test_an_alert_resolved_while_snoozed_shows_the_snooze_as_of_an_instant_before_the_outcome(
    db: Database,
) -> None:
    seed(db, 5)
    _snoozed(db, START + timedelta(days=3), days=7)
    _escalations_changed(
        db,
        status=EscalationStatus.RESOLVED,
        resolved_at=START + timedelta(days=5),
        outcome="reconnected",
        snoozed_until=None,
    )

    during, after = export(db, START + timedelta(days=4)), export(db, START + timedelta(days=6))

    assert {row["outcome"] for row in table(during, "escalation_outcomes")} == {"snoozed"}
    assert {row["outcome"] for row in table(after, "escalation_outcomes")} == {"reconnected"}
