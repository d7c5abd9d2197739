"""Someone whose Slack account was deactivated leaves every running cohort they were in, on SQLite and
PostgreSQL: their pairs end without fault, each partner is told once, and however many of Slack's events
about it arrive (two replicas at once included), nothing happens twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import (
    EndReason,
    MemberStatus,
    OutboxStatus,
    PairingMode,
    PartnershipStatus,
    Role,
)
from circles.messages import CheckinQuestion, PartnershipChanged, parse
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Cohort, Member, OutboxMessage, Partnership, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from circles.services.outbox.queue import claim_due
from circles.services.people.left_slack import left_slack
from circles.services.people.membership import leave
from tests import factories

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)
COACH = "U0DAN"


def world(db: Database) -> None:
    """Dan coaches Lee and Kim in PGY-1 and Ana in PGY-2; he coached in an archived cohort too."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug, learners in (("pgy1", ("U0LEE", "U0KIM")), ("pgy2", ("U0ANA",)), ("old", ("U0OLD",))):
            co = factories.cohort(uow.session, ws, slug, slug.upper())
            co.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(uow.session, co, "U0FAY")
            coach = factories.member(uow.session, co, COACH, Role.COACH)
            for learner in learners:
                factories.pair(uow.session, coach, factories.member(uow.session, co, learner, flush=False))
            if slug == "old":
                co.archived_at = MONDAY_9
        uow.commit()


def told(db: Database) -> list[str]:
    """Who has a notice that their partnership changed, one entry per notice."""
    with db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage)).all()
    return sorted(
        str(row.channel)
        for row in rows
        if isinstance(parse(row.payload["template"], row.payload["args"]), PartnershipChanged)
    )


def coach_in(db: Database) -> dict[str, MemberStatus]:
    with db.reading() as reading:
        rows = reading.session.execute(
            select(Cohort.slug, Member.status)
            .join(Member, Member.cohort_id == Cohort.id)
            .where(Member.slack_user_id == COACH)
        ).all()
    return {slug: status for slug, status in rows}


def test_a_deactivated_coach_leaves_each_running_cohort_and_each_learner_is_told_once(db: Database) -> None:
    world(db)
    left = left_slack(db, "T0001", COACH, MONDAY_9)
    assert sorted((x.slug, sorted(x.former_partners)) for x in left) == [
        ("pgy1", ["U0KIM", "U0LEE"]),
        ("pgy2", ["U0ANA"]),
    ]
    assert coach_in(db) == {"pgy1": MemberStatus.LEFT, "pgy2": MemberStatus.LEFT, "old": MemberStatus.ACTIVE}
    with db.reading() as reading:
        pairs = reading.session.scalars(select(Partnership)).all()
        ended = sorted((p.status, p.end_reason) for p in pairs if p.status is PartnershipStatus.ENDED)
    assert ended == [(PartnershipStatus.ENDED, EndReason.MEMBER_LEFT)] * 3
    assert told(db) == ["U0ANA", "U0KIM", "U0LEE"]
    # Slack's next event about the same deactivation finds nothing left to do.
    assert left_slack(db, "T0001", COACH, MONDAY_9) == []
    assert told(db) == ["U0ANA", "U0KIM", "U0LEE"]


def test_check_in_questions_waiting_for_the_coach_or_a_learner_of_theirs_are_never_sent(db: Database) -> None:
    world(db)
    with db.unit_of_work() as uow:
        pair = uow.session.scalars(select(Partnership).order_by(Partnership.id)).first()
        assert pair is not None
        for member_id in (pair.first_member_id, pair.second_member_id):
            asked = factories.checkin(pair, member_id, MONDAY_9)
            uow.session.add(asked)
            uow.session.flush()
            person = uow.session.get_one(Member, member_id).slack_user_id
            question = CheckinQuestion(asked.id, "PGY1", "U0LEE" if person == COACH else COACH)
            enqueue(
                uow.session,
                pair.workspace_id,
                Outgoing(f"checkin:{asked.id}", person, question),
                MONDAY_9,
                MONDAY_9,
            )
        uow.commit()

    left_slack(db, "T0001", COACH, MONDAY_9)
    claimed = claim_due(db.unit_of_work(), MONDAY_9, limit=50, claim_for=timedelta(minutes=5))

    assert sorted(str(row.channel) for row in claimed) == ["U0ANA", "U0KIM", "U0LEE"]  # the notices only
    with db.reading() as reading:
        questions = reading.session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.like("checkin:%"))
        )
        assert {row.status for row in questions} == {OutboxStatus.SUPERSEDED}
        assert reading.session.scalars(select(CheckIn)).all() == []  # never asked: never counted missed


def test_a_cohort_the_person_left_themselves_is_passed_over(db: Database) -> None:
    world(db)
    leave(db.unit_of_work(), "T0001", "pgy2", COACH, MONDAY_9)
    assert [x.slug for x in left_slack(db, "T0001", COACH, MONDAY_9)] == ["pgy1"]
    assert told(db) == ["U0ANA", "U0KIM", "U0LEE"]


def test_someone_in_no_cohort_or_of_a_workspace_never_seen_leaves_nothing_and_nothing_is_stored(
    db: Database,
) -> None:
    world(db)
    assert left_slack(db, "T0001", "U0NOBODY", MONDAY_9) == []
    assert left_slack(db, "T0OTHER", COACH, MONDAY_9) == []
    with db.reading() as reading:
        assert reading.session.scalars(select(Workspace.team_id)).all() == ["T0001"]
    assert told(db) == []


def test_two_events_about_one_deactivation_on_two_replicas_at_once_tell_each_learner_once(
    db: Database,
) -> None:
    world(db)
    start, errors = threading.Barrier(2), []

    def replica() -> None:
        start.wait()
        try:
            left_slack(db, "T0001", COACH, MONDAY_9)
        except Exception as error:  # the test reads it
            errors.append(error)

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert told(db) == ["U0ANA", "U0KIM", "U0LEE"]
    assert coach_in(db)["pgy1"] is MemberStatus.LEFT
