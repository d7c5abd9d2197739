"""A partnership paused from the list of partners or from Home while Slack fails to redraw them: the pause
stands, and the coach hears it was made, never that nothing was changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Member, Partnership
from tests import relationship_world
from tests.e2e.conftest import RunningApp
from tests.e2e.harness import faults
from tests.e2e.test_after_the_write_home import told_in_dm
from tests.relationship_world import COACH


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        uow.commit()
    for user in (COACH, "U0L1", "U0L2", "U0L3", "U0L4", "U0L5", "U0FAC"):
        running.standin.add_user(user)
    return running


def partnership_of(app: RunningApp, learner: str) -> int:
    with app.db.reading() as reading:
        query = (
            select(Partnership.id)
            .join(Member, Member.id == Partnership.second_member_id)
            .where(Member.slack_user_id == learner)
        )
        return reading.session.scalars(query).one()


def status_of(app: RunningApp, partnership: int) -> PartnershipStatus:
    with app.db.reading() as reading:
        return reading.session.scalars(select(Partnership.status).where(Partnership.id == partnership)).one()


def end_from_home(app: RunningApp, partnership: int) -> None:
    """The coach sends the ending form they opened from Home."""
    app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW, user_id=COACH, values={}, private_metadata=f"{partnership}:home"
        )
    )


def test_a_pause_pressed_on_a_list_closed_meanwhile_stands_and_is_confirmed_in_the_dm(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    chosen = partnership_of(app, "U0L1")
    the_list = {
        "type": "modal",
        "id": "V0LIST",
        "callback_id": ids.RELATIONSHIPS_VIEW,
        "private_metadata": "alpha",
    }
    app.standin.error("views.update", "not_found")  # the coach closed the list before it was redrawn

    app.post(app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id=COACH, value=str(chosen), view=the_list))

    told = told_in_dm(app, COACH)
    assert any("is paused" in text for text in told)
    assert not any("nothing was changed" in text for text in told)
    assert status_of(app, chosen) is PartnershipStatus.PAUSED
    assert not faults(caplog)


def test_a_pause_pressed_on_home_stands_and_is_confirmed_once_when_home_cannot_be_redrawn(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    chosen = partnership_of(app, "U0L1")
    app.standin.fail("views.publish", status=500, times=None)

    app.post(
        app.signer.block_action(
            ids.PARTNERSHIP_PAUSE, user_id=COACH, value=str(chosen), view={"type": "home"}
        )
    )

    told = told_in_dm(app, COACH)
    assert len(told) == 1
    assert "is paused" in told[0]
    assert status_of(app, chosen) is PartnershipStatus.PAUSED
    assert not faults(caplog)


def test_an_ending_sent_from_home_stands_and_is_confirmed_once_when_home_cannot_be_redrawn(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    chosen = partnership_of(app, "U0L1")
    app.standin.fail("views.publish", status=500, times=None)

    end_from_home(app, chosen)

    told = told_in_dm(app, COACH)
    assert len(told) == 1
    assert "nothing was changed" not in told[0]
    assert status_of(app, chosen) is PartnershipStatus.ENDED
    assert not faults(caplog)


def test_an_ending_whose_confirmation_slack_fails_to_take_is_never_reported_as_unchanged(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    chosen = partnership_of(app, "U0L1")
    app.standin.fail("chat.postMessage", status=500, times=3)  # the confirmation and both retries

    end_from_home(app, chosen)

    assert not any("nothing was changed" in text for text in told_in_dm(app, COACH))
    assert status_of(app, chosen) is PartnershipStatus.ENDED
    assert app.standin.calls("views.publish")  # Home shows it ended
    assert not faults(caplog)
