"""A coach with many learners leaves a cohort: Slack is asked about as few of them as for a handful."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.persistence.models import Partnership
from tests import factories
from tests.e2e.conftest import RunningApp

COACH = "U0COACH"
SIZES = {"few": 10, "many": 30}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug, learners in SIZES.items():
            co = factories.cohort(uow.session, ws, slug, slug.title())
            co.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(uow.session, co, "U0FAC")
            coach = factories.member(uow.session, co, COACH, Role.COACH)
            for k in range(learners):
                factories.pair(
                    uow.session, coach, factories.member(uow.session, co, f"U0{slug.upper()}{k:02d}")
                )
        uow.commit()
    for user in (COACH, "U0FAC", *(f"U0{s.upper()}{k:02d}" for s, n in SIZES.items() for k in range(n))):
        running.standin.add_user(user)
    return running


def leave(app: RunningApp, slug: str) -> int:
    """Leave the cohort; how many conversations Slack was asked to open meanwhile."""
    app.standin.clear()
    assert app.post(app.signer.slash_command(f"leave {slug}", user_id=COACH))[0] == 200
    app.settled()
    assert f"You have left `{slug}`" in json.dumps([c.args for c in app.standin.calls("response_url")])
    return len(app.standin.calls("conversations.open"))


def test_a_coach_leaving_thirty_learners_asks_slack_about_as_few_as_when_leaving_ten(app: RunningApp) -> None:
    assert leave(app, "many") == leave(app, "few")
    with app.db.reading() as reading:  # and every partnership ended, each partner to be told
        running = (
            select(func.count()).select_from(Partnership).where(Partnership.status != PartnershipStatus.ENDED)
        )
        assert reading.session.scalar(running) == 0


def test_former_partners_slack_cannot_reach_are_named_in_one_answer(app: RunningApp) -> None:
    for user in ("U0FEW00", "U0FEW01"):
        app.standin.refuse_dm(user, "user_not_found")
    leave(app, "few")
    answers = [json.dumps(c.args) for c in app.standin.calls("response_url")]
    [told] = [a for a in answers if "couldn't reach" in a]
    assert "<@U0FEW00>" in told
    assert "<@U0FEW01>" in told
