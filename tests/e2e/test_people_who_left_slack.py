"""Someone whose Slack account is deactivated (Slack's `user_change` with `deleted: true`) has left: through
the real HTTP app, they leave each cohort they were in, and each of their partners hears, once, that the
partnership ended (never who or why), instead of waiting on someone who can no longer answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EndReason, MemberStatus, PairingMode, PartnershipStatus, Role
from circles.persistence.models import Member, OutboxMessage, Partnership
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp

COACH = "U0COACH"
LEARNERS = {"pgy1": ("U0L1", "U0L2"), "pgy2": ("U0L3",)}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """A coach with two learners in one cohort and one in another; the learners keep no quiet hours."""
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug, learners in LEARNERS.items():
            co = factories.cohort(uow.session, ws, slug, slug.upper())
            co.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(uow.session, co, "U0FAC")
            coach = factories.member(uow.session, co, COACH, Role.COACH)
            for learner in learners:
                factories.pair(uow.session, coach, factories.member(uow.session, co, learner))
        for learner in ("U0L1", "U0L2", "U0L3"):
            factories.profile(uow.session, ws, learner, "UTC").quiet_hours = ""
        uow.commit()
    for user in (COACH, "U0FAC", "U0L1", "U0L2", "U0L3"):
        running.standin.add_user(user)
    return running


def user_change(app: RunningApp, user_id: str, **changes: Any) -> dict[str, Any]:
    """The user_change event Slack sends about this person, as users.info would describe them."""
    return {"type": "user_change", "user": app.standin.workspace.users[user_id].to_api() | changes}


def told_it_ended(app: RunningApp) -> list[Call]:
    return [
        c
        for c in app.standin.calls("chat.postMessage")
        if "partnership" in c.args.get("text", "") and "has ended" in c.args.get("text", "")
    ]


def standing(app: RunningApp) -> tuple[set[MemberStatus], set[tuple[PartnershipStatus, EndReason | None]]]:
    with app.db.reading() as reading:
        statuses = set(reading.session.scalars(select(Member.status).where(Member.slack_user_id == COACH)))
        pairs = {(p.status, p.end_reason) for p in reading.session.scalars(select(Partnership))}
    return statuses, pairs


def test_a_deactivated_coach_leaves_each_cohort_and_each_learner_hears_once_that_it_ended(
    app: RunningApp,
) -> None:
    gone = app.signer.event(user_change(app, COACH, deleted=True), event_id="Ev0GONE1")
    assert app.post(gone) == (200, b"")
    app.settled()

    assert standing(app) == ({MemberStatus.LEFT}, {(PartnershipStatus.ENDED, EndReason.MEMBER_LEFT)})
    told = told_it_ended(app)
    assert sorted(c.args["channel"] for c in told) == ["U0L1", "U0L2", "U0L3"]
    assert all(COACH not in json.dumps(c.args) for c in told)  # never who
    # Nothing is sent to the person who has gone.
    assert [c for c in app.standin.calls() if COACH in json.dumps(c.args)] == []

    # Slack's retry of that event, and the other user_change events a deactivation brings, change nothing.
    app.standin.clear()
    assert (
        app.post(app.signer.event(user_change(app, COACH, deleted=True), event_id="Ev0GONE1", retry_num=1))[0]
        == 200
    )
    assert app.post(app.signer.event(user_change(app, COACH, deleted=True, tz="Europe/Paris")))[0] == 200
    app.settled()
    assert app.standin.calls("chat.postMessage") == []
    with app.db.reading() as reading:
        rows = [str(c) for c in reading.session.scalars(select(OutboxMessage.channel))]
    assert sorted(rows) == ["U0L1", "U0L2", "U0L3"]


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"deleted": False}, id="active"),
        pytest.param({"deleted": "true"}, id="not-a-flag-slack-sends"),
        pytest.param({"tz": "Europe/London"}, id="moved-time-zone"),
    ],
)
def test_any_other_change_to_a_person_leaves_them_where_they_are(
    app: RunningApp, changes: dict[str, Any]
) -> None:
    assert app.post(app.signer.event(user_change(app, COACH, **changes))) == (200, b"")
    app.settled()
    assert standing(app) == ({MemberStatus.ACTIVE}, {(PartnershipStatus.ACTIVE, None)})
    assert told_it_ended(app) == []


def test_someone_deactivated_again_after_coming_back_and_leaving_changes_nothing_more(
    app: RunningApp,
) -> None:
    app.post(app.signer.event(user_change(app, COACH, deleted=True)))
    app.settled()
    app.post(app.signer.event(user_change(app, COACH, deleted=False)))  # reactivated: still left
    app.settled()
    assert standing(app)[0] == {MemberStatus.LEFT}
    app.standin.clear()
    app.post(app.signer.event(user_change(app, COACH, deleted=True)))
    app.settled()
    assert app.standin.calls("chat.postMessage") == []
