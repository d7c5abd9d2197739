"""Asking for the profile card of someone whose Slack account is deactivated, when Slack's `user_change`
about it never arrived: the card says the account is no longer active, and the person leaves their cohorts
as that event would have had them do (their partners hear once that the partnership ended), never twice."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EndReason, MemberStatus, PairingMode, PartnershipStatus, Role
from circles.persistence.models import Member, OutboxMessage, Partnership
from tests import factories
from tests.e2e.conftest import RunningApp

GONE = "U0GONE"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """A coach and their learner in one cohort; the coach's account is deactivated, and Slack's event about
    it was missed (users.info says deleted; no `user_change` was sent)."""
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, co, "U0FAC")
        coach = factories.member(uow.session, co, GONE, Role.COACH)
        factories.pair(uow.session, coach, factories.member(uow.session, co, "U0LEE"))
        factories.profile(uow.session, ws, GONE, "UTC")
        factories.profile(uow.session, ws, "U0LEE", "UTC").quiet_hours = ""
        uow.commit()
    for user in ("U0FAC", "U0LEE"):
        running.standin.add_user(user)
    running.standin.add_user(GONE, deleted=True)
    return running


def look_up(app: RunningApp, viewer: str = "U0LEE") -> str:
    app.standin.clear()
    assert app.post(app.signer.slash_command(f"profile <@{GONE}>", user_id=viewer))[0] == 200
    [answer] = app.standin.wait_for("response_url")
    app.settled()
    return json.dumps(answer.args, ensure_ascii=False)


def standing(app: RunningApp) -> tuple[set[MemberStatus], set[tuple[PartnershipStatus, EndReason | None]]]:
    with app.db.reading() as reading:
        statuses = set(reading.session.scalars(select(Member.status).where(Member.slack_user_id == GONE)))
        pairs = {(p.status, p.end_reason) for p in reading.session.scalars(select(Partnership))}
    return statuses, pairs


def test_the_card_of_a_deactivated_account_says_it_is_no_longer_active(app: RunningApp) -> None:
    answer = look_up(app)
    assert "no longer active" in answer
    assert "PGY-1" not in answer  # no card, as if they were still here


def test_a_deactivated_account_seen_on_a_card_leaves_its_cohorts_once(app: RunningApp) -> None:
    look_up(app)
    assert standing(app) == ({MemberStatus.LEFT}, {(PartnershipStatus.ENDED, EndReason.MEMBER_LEFT)})
    with app.db.reading() as reading:
        told = [str(c) for c in reading.session.scalars(select(OutboxMessage.channel))]
    assert told == ["U0LEE"]  # the learner hears that it ended; nobody else, and nothing to the one gone

    for viewer in ("U0LEE", "U0FAC"):  # looked up again: they left already, nothing more happens
        assert "no longer active" in look_up(app, viewer)
    with app.db.reading() as reading:
        assert [str(c) for c in reading.session.scalars(select(OutboxMessage.channel))] == ["U0LEE"]
    assert [c for c in app.standin.calls("chat.postMessage")] == []
