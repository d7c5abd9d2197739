"""`/circles match <cohort>` (no preview) when members change between working the round out and creating
it: nothing is created, nobody is told it is being formed, and a fresh preview is offered, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot import ids
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.models import Circle, Cohort, MatchRun
from tests import factories
from tests.e2e.conftest import RunningApp

FACILITATOR = "U0FAC"
PEOPLE = [f"U0P{i}" for i in range(1, 10)]


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.NONE, MeetingPlace.GROUP_DM
        co.circle_min_size = co.circle_max_size = 3
        factories.facilitator(uow.session, co, FACILITATOR)
        for user in PEOPLE:
            factories.member(uow.session, co, user, Role.PEER)
        uow.commit()
    for user in (FACILITATOR, *PEOPLE):
        running.standin.add_user(user)
    return running


@contextmanager
def someone_joins_once_a_round_is_worked_out(app: RunningApp) -> Iterator[None]:
    """Right after the proposal is stored, before it is created, another person joins the cohort."""
    proposed: list[bool] = []

    def flushed(session: Session, _context: object) -> None:
        if any(isinstance(row, MatchRun) for row in session.new):
            session.info["proposed"] = True

    def committed(session: Session) -> None:
        if session.info.pop("proposed", False) and not proposed:
            proposed.append(True)
            with app.db.unit_of_work() as uow:
                co = uow.session.scalars(select(Cohort)).one()
                factories.member(uow.session, co, "U0LATE", Role.PEER)
                uow.commit()

    event.listen(Session, "after_flush", flushed)
    event.listen(Session, "after_commit", committed)
    try:
        yield
    finally:
        event.remove(Session, "after_flush", flushed)
        event.remove(Session, "after_commit", committed)


def test_a_round_gone_stale_before_it_is_created_is_not_announced_and_a_fresh_preview_is_offered(
    app: RunningApp,
) -> None:
    with someone_joins_once_a_round_is_worked_out(app):
        app.post(app.signer.slash_command("match pgy1", user_id=FACILITATOR))
        answers = app.standin.wait_for("response_url", count=2, timeout=10)

    said = [json.dumps(answer.args, ensure_ascii=False) for answer in answers]
    assert not any("being formed" in text for text in said)
    assert "changed since" in said[0]
    assert ids.MATCH_CONFIRM in said[1]  # the fresh preview, to confirm or not
    assert app.standin.calls("conversations.open") == []
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Circle)).all() == []
        assert RunStatus.CONFIRMED not in set(uow.session.scalars(select(MatchRun.status)))
