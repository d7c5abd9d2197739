"""Erasure asked for later: someone who left without erasing, or whose cohort was archived (nobody leaves
one), types `/circles leave` and is offered to erase their personal data, not told only that they are in no
cohort; pressing it erases. Someone still in a cohort is not offered it there."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from bot import ids
from circles.persistence.models import Cohort, Member, Profile
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.factories import NOW


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    coaching_pair(running, reachable_coach=True)
    return running


def typed(app: RunningApp, text: str) -> str:
    app.standin.clear()
    assert app.post(app.signer.slash_command(text, user_id="U0LEARN")) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args)


def erased(app: RunningApp) -> bool:
    """Whether the learner's data is erased: their membership says so, and they have no profile."""
    with app.db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0LEARN")).first()
        return member.erased_before is not None and profile is None


def test_someone_who_left_without_erasing_is_offered_it_when_they_type_leave_again(app: RunningApp) -> None:
    assert "You have left `pgy1`" in typed(app, "leave pgy1")

    again = typed(app, "leave")

    assert ids.LEAVE_ERASE in again
    assert "You are not in any cohort right now" in again


def test_someone_whose_cohort_was_archived_can_still_have_their_data_erased(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(archived_at=NOW))
        uow.commit()
    assert not erased(app)

    offer = typed(app, "leave")
    assert ids.LEAVE_ERASE in offer
    app.standin.clear()
    hook = app.standin.response_url("U0LEARN")
    press = app.signer.block_action(
        ids.LEAVE_ERASE, user_id="U0LEARN", value="pgy1", channel_id="D0LEARN", response_url=hook
    )
    assert app.post(press) == (200, b"")
    [done] = app.standin.wait_for("response_url", timeout=10)

    assert "your profile and your notes have been erased" in json.dumps(done.args)
    assert erased(app)


def test_someone_still_in_a_cohort_is_not_offered_erasure_by_a_leave_naming_another(app: RunningApp) -> None:
    answer = typed(app, "leave pgy9")

    assert ids.LEAVE_ERASE not in answer


def test_naming_the_archived_cohort_offers_the_erasure_too_not_that_it_cannot_be_found(
    app: RunningApp,
) -> None:
    with app.db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(archived_at=NOW))
        uow.commit()

    answer = typed(app, "leave pgy1")

    assert ids.LEAVE_ERASE in answer
    assert "can't find" not in answer
