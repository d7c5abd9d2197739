"""A check-in question held for its person's working hours is answered within the window counted from when it
goes, never from when it was planned: absence and working hours never count against a partnership's health.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, OutboxMessage, Partnership
from circles.queries.guide_pairs import pair_activity
from circles.services.health.recompute import recompute
from circles.services.health.watch import watch
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.databases import counted

FRIDAY_9 = datetime(2027, 1, 15, 9, tzinfo=UTC)  # the cohort's check-ins go on Fridays at 09:00
SUNDAY_19 = datetime(2027, 1, 17, 19, tzinfo=UTC)  # a Sun–Thu night worker's next shift begins
NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()
CLAIM = timedelta(minutes=5)


def night_worker_asked_on_friday(db: Database, night_workers: int = 1) -> list[int]:
    """Night-working coaches in a cohort whose answer window is one day, each with a learner and a check-in
    question due Friday 09:00; returns the partnerships."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        cohort.health_thresholds = {"answer_within_days": 1}
        pairs = []
        for n in range(night_workers):
            coach = factories.member(uow.session, cohort, f"U0N{n:03d}", Role.COACH)
            factories.profile(uow.session, ws, coach.slack_user_id, "UTC").work_pattern = NIGHT_SHIFT
            factories.member(uow.session, cohort, f"U0N{n:03d}L")
            pair = factories.partnership(uow.session, coach.slack_user_id, f"U0N{n:03d}L")
            asked = factories.checkin(pair, coach.id, FRIDAY_9)
            uow.session.add(asked)
            uow.session.flush()
            uow.session.add(
                OutboxMessage(
                    workspace_id=ws.id,
                    idempotency_key=f"checkin:{pair.id}:{coach.id}:{FRIDAY_9.date()}",
                    method="chat.postMessage",
                    channel=coach.slack_user_id,
                    payload={"template": "checkin", "args": {"checkin_id": asked.id, "cohort_name": "PGY-1"}},
                    due_at=FRIDAY_9,
                    created_at=FRIDAY_9,
                )
            )
            pairs.append(pair.id)
        uow.commit()
        return pairs


def claim(db: Database, at: datetime) -> list[str]:
    return [row.key for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=CLAIM)]


def watched(db: Database, at: datetime) -> int:
    with db.unit_of_work() as uow:
        recomputed = watch(uow.session, at, admins=set()).recomputed
        uow.commit()
        return recomputed


def coach_missed(db: Database, pair: int, at: datetime) -> int:
    with db.unit_of_work() as uow:
        [health] = recompute(uow.session, at, partnerships=[pair], record=False)
        return health.signals.first.missed_in_a_row


def test_a_night_workers_held_check_in_is_missed_only_a_window_after_it_reaches_them(db: Database) -> None:
    [pair] = night_worker_asked_on_friday(db)
    watched(db, FRIDAY_9)  # the check-in falls due: health first looks at the pair then
    assert claim(db, FRIDAY_9) == []  # held for Sunday's shift

    old_deadline = FRIDAY_9 + timedelta(days=1, minutes=1)
    watched(db, old_deadline)
    assert coach_missed(db, pair, old_deadline) == 0
    assert coach_missed(db, pair, SUNDAY_19 - timedelta(minutes=1)) == 0

    assert claim(db, SUNDAY_19) != []  # it reaches them as their shift begins
    assert coach_missed(db, pair, SUNDAY_19 + timedelta(hours=23)) == 0
    assert coach_missed(db, pair, SUNDAY_19 + timedelta(days=1, minutes=1)) == 1


def test_the_watch_looks_at_the_pair_again_when_the_window_counted_from_delivery_closes(db: Database) -> None:
    [pair] = night_worker_asked_on_friday(db)
    watched(db, FRIDAY_9)
    claim(db, FRIDAY_9)
    watched(db, FRIDAY_9 + timedelta(days=1, minutes=1))

    assert watched(db, SUNDAY_19) == 1  # the question goes: the pair is looked at again
    with db.unit_of_work() as uow:
        due = uow.session.scalars(select(Partnership.health_due_at).where(Partnership.id == pair)).one()
    assert due is not None
    assert due.astimezone(UTC) <= SUNDAY_19 + timedelta(days=1)
    assert watched(db, SUNDAY_19 + timedelta(days=1, minutes=1)) == 1
    assert coach_missed(db, pair, SUNDAY_19 + timedelta(days=1, minutes=1)) == 1


def test_holding_check_ins_back_keeps_their_occurrence_and_moves_them_in_one_statement(db: Database) -> None:
    night_worker_asked_on_friday(db, night_workers=3)
    with counted(db) as seen:
        assert claim(db, FRIDAY_9) == []

    with db.unit_of_work() as uow:
        rows = uow.session.execute(select(CheckIn.due_at, CheckIn.asked_at)).all()
        statuses = set(uow.session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.PENDING}
    assert {(due.astimezone(UTC), asked and asked.astimezone(UTC)) for due, asked in rows} == {
        (FRIDAY_9, SUNDAY_19)
    }
    assert len([s for s in seen if s.lstrip().upper().startswith("UPDATE CHECKINS")]) == 1


def test_a_coachs_digest_counts_a_held_check_in_as_waiting_only_a_day_after_it_reached_them(
    db: Database,
) -> None:
    [pair] = night_worker_asked_on_friday(db)
    assert claim(db, FRIDAY_9) == []  # held for Sunday's shift
    with db.unit_of_work() as uow:
        coach = uow.session.get_one(Partnership, pair).first_member_id
        [on_sunday] = pair_activity(uow.session, [coach], SUNDAY_19)[coach]
        [on_monday] = pair_activity(uow.session, [coach], SUNDAY_19 + timedelta(days=1, minutes=1))[coach]
    assert (
        on_sunday.unanswered_checkins == 0
    )  # the question only now reaches them: nothing has waited a day yet
    assert on_monday.unanswered_checkins == 1
