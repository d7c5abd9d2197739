"""A coach leaving, or a learner pausing, on one replica while the coach's Accept runs on another
(PostgreSQL): the learner hears once that the request closed, or gets the coach; never both, never twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.requests import RequestStatus
from circles.errors import RequestClosed
from circles.messages import RequestClosedBecause, RequestClosedNotice, parse
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.partnerships.request_withdrawal import withdraw_own_request
from circles.services.partnerships.requests import accept_request, request_guide
from circles.services.people.membership import leave, pause
from tests.databases import postgres
from tests.factories import NOW
from tests.integration.test_request_round_race import (
    COACHES,
    LEARNER,
    at_once,
    coaches_of_learner,
    cohort_with_two_coaches,
    request_status,
)

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own
COACH = COACHES[0]


def asked(db: Database) -> int:
    cohort_with_two_coaches(db)
    return request_guide(db.unit_of_work(), "T0001", LEARNER, "pgy1", COACH, NOW).request_id


def told(db: Database) -> list[tuple[str, RequestClosedBecause]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage)).all()
        payloads = [(row.channel or "", parse(row.payload["template"], row.payload["args"])) for row in rows]
    return [(to, p.because) for to, p in payloads if isinstance(p, RequestClosedNotice)]


CHANGES: dict[str, Callable[[Database], object]] = {
    "the coach leaves": lambda db: leave(db.unit_of_work(), "T0001", None, COACH, NOW),
    "the learner pauses": lambda db: pause(db.unit_of_work(), "T0001", LEARNER, None, NOW),
}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("the coach leaves", RequestClosedBecause.GUIDE_GONE),
        ("the learner pauses", RequestClosedBecause.LEARNER_PAUSED),
    ],
)
def test_a_change_committing_while_the_accept_runs_elsewhere_closes_the_request_and_tells_the_learner_once(
    postgres: Database, change: str, why: RequestClosedBecause
) -> None:
    request_id = asked(postgres)

    changed, accepted = at_once(
        postgres,
        lambda: CHANGES[change](postgres),
        lambda: accept_request(postgres.unit_of_work(), "T0001", COACH, request_id, NOW),
    )

    assert not isinstance(changed, Exception), changed
    assert isinstance(accepted, RequestClosed), accepted  # the change withdrew it, or made it lapse, first
    assert coaches_of_learner(postgres) == []
    assert request_status(postgres, request_id) is RequestStatus.WITHDRAWN
    assert told(postgres) == [(LEARNER, why)]


@pytest.mark.postgres
def test_an_accept_committing_while_the_coach_leaves_elsewhere_pairs_them_and_tells_no_closed_request(
    postgres: Database,
) -> None:
    request_id = asked(postgres)

    accepted, left = at_once(
        postgres,
        lambda: accept_request(postgres.unit_of_work(), "T0001", COACH, request_id, NOW),
        lambda: CHANGES["the coach leaves"](postgres),
    )

    assert not isinstance(accepted, Exception), accepted
    assert not isinstance(left, Exception), left  # the pair it made ends with the leave, without fault
    assert request_status(postgres, request_id) is RequestStatus.ACCEPTED
    assert told(postgres) == []  # the learner hears of the ending instead


@pytest.mark.postgres
@pytest.mark.parametrize("first", ["the learner withdraws", "the coach accepts"])
def test_a_withdrawal_and_an_accept_at_once_close_the_request_once(postgres: Database, first: str) -> None:
    request_id = asked(postgres)

    def withdraw() -> object:
        return withdraw_own_request(postgres.unit_of_work(), "T0001", LEARNER, "pgy1", NOW)

    def accept() -> object:
        return accept_request(postgres.unit_of_work(), "T0001", COACH, request_id, NOW)

    if first == "the learner withdraws":
        withdrawn, accepted = at_once(postgres, withdraw, accept)
        assert withdrawn == COACH
        assert isinstance(accepted, RequestClosed), accepted
        assert (coaches_of_learner(postgres), request_status(postgres, request_id)) == (
            [],
            RequestStatus.WITHDRAWN,
        )
    else:
        accepted, withdrawn = at_once(postgres, accept, withdraw)
        assert not isinstance(accepted, Exception), accepted
        assert withdrawn is None  # nothing waits any more: the learner has their coach
        assert (coaches_of_learner(postgres), request_status(postgres, request_id)) == (
            [COACH],
            RequestStatus.ACCEPTED,
        )
    assert told(postgres) == []
