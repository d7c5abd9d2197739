"""The facilitator who said "I'll reach out" leaves Slack (Slack's `user_change`), or is taken off the cohort
in its settings form, while the only other facilitator is away: nobody present may hear of the alert open
again, so the people in CIRCLES_ADMINS are told at once, and the one away nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import Role
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.availability.away import go_away
from standin.defaults import DEFAULT_TEAM_ID
from tests import escalation_world as w
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import SAVED, open_settings, submit_settings
from tests.e2e.test_escalations import MEMBERS, click, escalate, escalation_id, stored
from tests.e2e.test_events_about_people import status_changed
from tests.escalation_world import FACILITATORS

CLAIMER, AWAY, ADMIN = "U0FAC1", "U0FAC2", "U0ADMIN"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The alert in each facilitator's DM, claimed by CLAIMER; AWAY, the other facilitator, away for weeks."""
    running = serve_app(circles_admins=frozenset({ADMIN}))
    with running.db.unit_of_work() as uow:
        world = w.build(uow.session, DEFAULT_TEAM_ID)
        uow.commit()
    for user in (*FACILITATORS, *MEMBERS, ADMIN):
        running.standin.add_user(user)
    escalate(running, world.partnership_id)
    click(running, ids.ESCALATION_CLAIM, CLAIMER, str(escalation_id(running)))
    running.settled()
    assert stored(running).claimed_by == CLAIMER
    with running.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        factories.member(uow.session, cohort, AWAY, Role.COACH)
        uow.commit()
    go_away(running.db.unit_of_work(), DEFAULT_TEAM_ID, AWAY, AwayRequest(weeks=3), datetime.now(UTC))
    return running


def posted_to(app: RunningApp) -> list[str]:
    """Whom the alert's messages recorded since the claim go to."""
    with app.db.reading() as reading:
        rows = reading.session.scalars(
            select(OutboxMessage).where(OutboxMessage.method == "chat.postMessage").order_by(OutboxMessage.id)
        )
        return [row.channel or "" for row in rows if row.idempotency_key.startswith("escalation:")]


def test_the_claimer_leaving_slack_tells_the_admins_at_once(app: RunningApp) -> None:
    before = posted_to(app)
    assert app.post(app.signer.event(status_changed(CLAIMER, deleted=True))) == (200, b"")
    app.settled()

    assert stored(app).claimed_by is None
    assert posted_to(app)[len(before) :] == [ADMIN]


def test_the_claimer_taken_off_in_the_settings_form_tells_the_admins_at_once(app: RunningApp) -> None:
    before = posted_to(app)
    view = open_settings(app, "pgy1", ADMIN)
    _, body = submit_settings(app, view, ADMIN, facilitators=[AWAY])
    assert SAVED in body["told"]

    assert stored(app).claimed_by is None
    assert posted_to(app)[len(before) :] == [ADMIN]
