"""The settings form of a cohort whose prompts have begun, over real HTTP: its start date says it stays, a
start moved comes back as an error on that field, and one moved on a form opened before the first prompt went
is refused when saved; the start kept, the rest saves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import Circle, Cohort, OutboxMessage
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.days import today_with_room
from tests.e2e.test_cohorts import ADMIN, SAVED, open_settings, say, submit_settings


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Cohort pgy1, facilitated by ADMIN, starting two weeks ago, with one circle."""
    running = serve_app(circles_admins=frozenset({ADMIN}))
    say(running, "cohort create pgy1 PGY-1", ADMIN)
    with running.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.starts_on = today_with_room() - timedelta(weeks=2)
        factories.circle(uow.session, cohort, [], "circle-pgy1-1", "C0CIRCLE1")
        uow.commit()
    return running


def first_prompt_went(app: RunningApp) -> date:
    """The circle's first prompt goes, on the cohort's start date; that date."""
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        circle = uow.session.scalars(select(Circle)).one()
        assert cohort.starts_on is not None
        went = datetime.combine(cohort.starts_on, datetime.min.time(), tzinfo=UTC)
        uow.session.add(
            OutboxMessage(
                workspace_id=cohort.workspace_id,
                idempotency_key=f"circle_prompt:{circle.id}:{cohort.starts_on}",
                method="chat.postMessage",
                channel=circle.conversation_id,
                payload={"template": "circle_prompt", "args": {}},
                status=OutboxStatus.SENT,
                due_at=went,
                sent_at=went,
                created_at=went,
            )
        )
        uow.commit()
        return cohort.starts_on


def stored_start(app: RunningApp) -> date | None:
    with app.db.reading() as reading:
        return reading.session.scalars(select(Cohort.starts_on)).one()


def hint(view: dict[str, Any], block_id: str) -> str | None:
    """The hint under a block of the form; None when it has none."""
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    found = block.get("hint")
    return None if found is None else str(found["text"])


def moved_words(start: date) -> str:
    return (
        f"The cohort has begun: its start date stays {start.isoformat()}, or its prompts would repeat or be "
        "skipped. To skip weeks, add blackout dates in its settings; to run longer, move its end date."
    )


def test_a_start_moved_once_the_first_prompt_went_comes_back_on_the_start_date(app: RunningApp) -> None:
    start = first_prompt_went(app)
    view = open_settings(app, "pgy1", ADMIN)

    status, body = submit_settings(app, view, ADMIN, starts_on=(start + timedelta(weeks=1)).isoformat())

    assert status == 200
    assert body == {"response_action": "errors", "errors": {"starts_on": moved_words(start)}}
    assert hint(view, "starts_on") == (
        "The cohort has begun: its weeks and prompts count from this day, so it stays as it is."
    )
    assert stored_start(app) == start


def test_a_form_opened_before_the_first_prompt_went_is_refused_when_saved(app: RunningApp) -> None:
    view = open_settings(app, "pgy1", ADMIN)  # nothing went yet: the start may move
    start = first_prompt_went(app)

    _, body = submit_settings(app, view, ADMIN, starts_on=(start - timedelta(weeks=1)).isoformat())

    assert hint(view, "starts_on") is None
    assert f"Some settings need another look: {moved_words(start)}" in body["told"]
    assert stored_start(app) == start


def test_the_start_kept_the_other_settings_save_and_before_anything_went_it_moves(app: RunningApp) -> None:
    view = open_settings(app, "pgy1", ADMIN)
    later = today_with_room() + timedelta(weeks=1)
    assert SAVED in submit_settings(app, view, ADMIN, starts_on=later.isoformat())[1]["told"]
    start = first_prompt_went(app)

    again = open_settings(app, "pgy1", ADMIN)
    _, body = submit_settings(app, again, ADMIN, checkin_every_weeks="2")

    assert SAVED in body["told"]
    assert stored_start(app) == start == later
