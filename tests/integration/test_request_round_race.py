"""A coach accepts a learner's request on one replica while, on another (PostgreSQL), a facilitator confirms
a round pairing that learner, or the learner leaves: one coach at most, never two, never a deadlock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.errors import (
    AlreadyPartnered,
    GuideNotAvailable,
    GuidePaused,
    RequestClosed,
    RequestLapsed,
    StalePreview,
)
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest, Member, OutboxMessage, Partnership
from circles.services.matching.rounds import confirm_round, preview_round
from circles.services.partnerships.request_notices import remember_copy
from circles.services.partnerships.request_withdrawal import withdraw_own_request
from circles.services.partnerships.requests import accept_request, request_guide
from circles.services.people.membership import leave, pause
from tests import factories
from tests.databases import postgres, until_one_waits
from tests.factories import NOW

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

FAC = "U0FAC"
LEARNER = "U0LEE"
COACHES = ("U0ANN", "U0BEN")
WAIT = 3.0  # seconds at most the held replica waits for the other to block on it (or to finish)


def cohort_with_two_coaches(db: Database) -> None:
    """Two coaches with room for two each, one learner without a coach."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.COACH_LEARNER, 4, 6
        factories.facilitator(uow.session, co, FAC)
        for coach in COACHES:
            factories.member(uow.session, co, coach, Role.COACH, flush=False)
            factories.profile(uow.session, ws, coach, flush=False).capacity = 2
        factories.member(uow.session, co, LEARNER, Role.LEARNER)
        uow.commit()


def previewed_and_asked(db: Database, ask: str) -> tuple[int, int, str]:
    """The round's preview (pairing the learner with one coach), and the learner's request to the coach
    the round gives them (`same`) or to the other one (`other`): the run, the request, whom it asks."""
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    [pair] = plan.plan["pairs"]
    planned = plan.plan["users"][str(pair["first"])]
    asked = planned if ask == "same" else next(c for c in COACHES if c != planned)
    request = request_guide(db.unit_of_work(), "T0001", LEARNER, "pgy1", asked, NOW)
    return plan.run_id, request.request_id, asked


def started(
    outcomes: dict[str, object],
    name: str,
    work: Callable[[], object],
    finished: threading.Event | None = None,
) -> threading.Thread:
    """`work` running on a replica of its own (a thread named `name`); what it returns or raises goes
    into `outcomes` under that name, and then `finished`, if given, is set."""

    def run() -> None:
        try:
            outcomes[name] = work()
        except Exception as error:  # the test reads what it was
            outcomes[name] = error
        finally:
            if finished is not None:
                finished.set()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def at_once(db: Database, held: Callable[[], object], other: Callable[[], object]) -> list[object]:
    """Run `held` on one replica until it is about to commit, and hold that commit until `other`, run on
    the second replica meanwhile, waits for a lock (or has finished, when it waits for nothing). What each
    returned or raised, `held`'s first."""
    reached, finished = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def committing(_session: Session) -> None:
        if threading.current_thread().name == "held" and not reached.is_set():
            reached.set()
            until_one_waits(db, WAIT, through=finished)

    event.listen(Session, "before_commit", committing)
    try:
        first = started(outcomes, "held", held)
        reached.wait(30)
        second = started(outcomes, "other", other, finished)
        for worker in (first, second):
            worker.join(timeout=60)
    finally:
        event.remove(Session, "before_commit", committing)
    return [outcomes["held"], outcomes["other"]]


def while_held(
    db: Database,
    held: Callable[[], object],
    other: Callable[[], object],
    holds: Callable[[str], bool],
    lets_go: Callable[[str], bool] | None = None,
) -> list[object]:
    """Run `held` on one replica up to the first statement `holds` picks, and hold it there while `other`
    runs on the second replica: until `other` waits for a lock (or has finished, when it waits for
    nothing), or, given `lets_go`, until `other` sends a statement it picks (or waits for a lock, or
    finishes, before sending it). What each returned or raised, `held`'s first."""
    reached, go_on = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        name = threading.current_thread().name
        if name == "held" and holds(sql) and not reached.is_set():
            reached.set()
            until_one_waits(db, WAIT, through=go_on)
        elif name == "other" and lets_go is not None and lets_go(sql):
            go_on.set()

    event.listen(db.engine, "after_cursor_execute", statement)
    try:
        first = started(outcomes, "held", held)
        reached.wait(30)
        second = started(outcomes, "other", other, go_on)
        for worker in (first, second):
            worker.join(timeout=60)
    finally:
        event.remove(db.engine, "after_cursor_execute", statement)
    return [outcomes["held"], outcomes["other"]]


def coaches_of_learner(db: Database) -> list[str]:
    with db.reading() as reading:
        coach = select(Member.slack_user_id).join(Partnership, Partnership.first_member_id == Member.id)
        learner = select(Member.id).where(Member.slack_user_id == LEARNER).scalar_subquery()
        query = coach.where(
            Partnership.second_member_id == learner, Partnership.status != PartnershipStatus.ENDED
        )
        return sorted(reading.session.scalars(query))


def request_status(db: Database, request_id: int) -> RequestStatus:
    with db.reading() as reading:
        return reading.session.get_one(CoachRequest, request_id).status


@pytest.mark.postgres
@pytest.mark.parametrize("ask", ["other", "same"])
def test_a_request_accepted_while_a_round_pairing_the_learner_commits_is_closed(
    postgres: Database, ask: str
) -> None:
    cohort_with_two_coaches(postgres)
    run_id, request_id, asked = previewed_and_asked(postgres, ask)

    confirmed, accepted = at_once(
        postgres,
        lambda: confirm_round(postgres.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=NOW),
        lambda: accept_request(postgres.unit_of_work(), "T0001", asked, request_id, NOW),
    )

    assert not isinstance(confirmed, Exception), confirmed
    assert isinstance(accepted, RequestClosed), accepted  # the learner has a coach from the round now
    assert len(coaches_of_learner(postgres)) == 1
    assert request_status(postgres, request_id) is RequestStatus.WITHDRAWN


@pytest.mark.postgres
@pytest.mark.parametrize("ask", ["other", "same"])
def test_a_round_confirmed_while_a_request_for_the_learner_is_accepted_is_stale(
    postgres: Database, ask: str
) -> None:
    cohort_with_two_coaches(postgres)
    run_id, request_id, asked = previewed_and_asked(postgres, ask)

    accepted, confirmed = at_once(
        postgres,
        lambda: accept_request(postgres.unit_of_work(), "T0001", asked, request_id, NOW),
        lambda: confirm_round(postgres.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=NOW),
    )

    assert not isinstance(accepted, Exception), accepted
    assert isinstance(confirmed, StalePreview), confirmed  # a fresh preview leaves the pair as it is
    assert coaches_of_learner(postgres) == [asked]


@pytest.mark.postgres
def test_a_learner_leaving_while_their_request_is_accepted_ends_with_no_pair_and_no_deadlock(
    postgres: Database,
) -> None:
    cohort_with_two_coaches(postgres)
    request_id = request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW).request_id

    answered, left = while_held(
        postgres,
        lambda: accept_request(postgres.unit_of_work(), "T0001", COACHES[0], request_id, NOW),
        lambda: leave(postgres.unit_of_work(), "T0001", "pgy1", LEARNER, NOW),
        # the answer has claimed the request: it goes on once the leave locks what it locks
        holds=lambda sql: sql.startswith("UPDATE coach_requests"),
        lets_go=lambda sql: "FROM cohorts" in sql and "FOR NO KEY UPDATE" in sql,
    )

    assert not isinstance(left, Exception), left
    assert not isinstance(answered, Exception) or isinstance(answered, RequestClosed), answered
    assert coaches_of_learner(postgres) == []  # the pair, if made, ended with the leave


@pytest.mark.postgres
def test_a_request_accepted_twice_at_once_makes_one_pair_and_the_second_press_changes_nothing(
    postgres: Database,
) -> None:
    cohort_with_two_coaches(postgres)
    request_id = request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW).request_id

    def accept() -> object:
        return accept_request(postgres.unit_of_work(), "T0001", COACHES[0], request_id, NOW)

    first, second = at_once(postgres, accept, accept)  # a double click reaching two replicas

    assert not isinstance(first, Exception), first
    assert type(second) is RequestClosed, second  # not a lapse: the first press's answer stays shown
    assert coaches_of_learner(postgres) == [COACHES[0]]
    assert request_status(postgres, request_id) is RequestStatus.ACCEPTED


@pytest.mark.postgres
@pytest.mark.parametrize("who", [LEARNER, COACHES[0]])
def test_a_pause_committing_while_a_request_is_accepted_leaves_no_new_pair(
    postgres: Database, who: str
) -> None:
    cohort_with_two_coaches(postgres)
    request_id = request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW).request_id

    paused, accepted = at_once(
        postgres,
        lambda: pause(postgres.unit_of_work(), "T0001", who, None, NOW),
        lambda: accept_request(postgres.unit_of_work(), "T0001", COACHES[0], request_id, NOW),
    )

    assert not isinstance(paused, Exception), paused
    assert isinstance(accepted, RequestLapsed if who == LEARNER else GuidePaused), accepted
    assert coaches_of_learner(postgres) == []
    closed = RequestStatus.WITHDRAWN if who == LEARNER else RequestStatus.OPEN  # a paused coach's waits
    assert request_status(postgres, request_id) is closed


@pytest.mark.postgres
@pytest.mark.parametrize("who", [LEARNER, COACHES[0]])
def test_a_request_accepted_while_a_pause_waits_makes_the_pair_then_the_pause(
    postgres: Database, who: str
) -> None:
    cohort_with_two_coaches(postgres)
    request_id = request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW).request_id

    accepted, paused = at_once(
        postgres,
        lambda: accept_request(postgres.unit_of_work(), "T0001", COACHES[0], request_id, NOW),
        lambda: pause(postgres.unit_of_work(), "T0001", who, None, NOW),
    )

    assert not isinstance(accepted, Exception), accepted
    assert not isinstance(paused, Exception), paused  # after the answer, never a deadlock
    assert coaches_of_learner(postgres) == [COACHES[0]]


def open_requests(db: Database) -> list[tuple[str, RequestStatus]]:
    with db.reading() as reading:
        coach = (
            select(Member.slack_user_id).where(Member.id == CoachRequest.coach_member_id).scalar_subquery()
        )
        rows = reading.session.execute(select(coach, CoachRequest.status)).all()
    return [(user, status) for user, status in rows if status is RequestStatus.OPEN]


@pytest.mark.postgres
def test_a_request_to_a_coach_made_while_they_leave_is_refused_and_nothing_waits_for_them(
    postgres: Database,
) -> None:
    cohort_with_two_coaches(postgres)

    left, asked = at_once(
        postgres,
        lambda: leave(postgres.unit_of_work(), "T0001", "pgy1", COACHES[0], NOW),
        lambda: request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW),
    )

    assert not isinstance(left, Exception), left
    assert isinstance(asked, GuideNotAvailable), asked  # before: "request sent", to someone who had left
    assert open_requests(postgres) == []


@pytest.mark.postgres
def test_a_request_made_while_a_round_giving_the_learner_a_coach_commits_is_refused(
    postgres: Database,
) -> None:
    cohort_with_two_coaches(postgres)
    plan = preview_round(postgres.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    [pair] = plan.plan["pairs"]
    other = next(c for c in COACHES if c != plan.plan["users"][str(pair["first"])])

    confirmed, asked = at_once(
        postgres,
        lambda: confirm_round(
            postgres.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW
        ),
        lambda: request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", other, NOW),
    )

    assert not isinstance(confirmed, Exception), confirmed
    assert isinstance(asked, AlreadyPartnered), asked  # before: a second coach asked, the request left open
    assert open_requests(postgres) == []


@pytest.mark.postgres
def test_a_learner_withdrawing_while_the_coachs_copy_is_remembered_has_that_copy_redrawn_without_buttons(
    postgres: Database,
) -> None:
    cohort_with_two_coaches(postgres)
    request_id = request_guide(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", COACHES[0], NOW).request_id

    remembered, withdrawn = at_once(
        postgres,
        lambda: remember_copy(
            postgres.unit_of_work(), "T0001", request_id, "D0COACH", "1700000000.000100", NOW
        ),
        lambda: withdraw_own_request(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", NOW),
    )

    assert not isinstance(remembered, Exception), remembered
    assert withdrawn == COACHES[0]
    with postgres.reading() as reading:
        redraws = reading.session.scalars(
            select(OutboxMessage.channel).where(
                OutboxMessage.idempotency_key == f"request:{request_id}:copy-closed"
            )
        ).all()
    assert redraws == ["D0COACH"]  # before: none, and the coach's Accept led nowhere
