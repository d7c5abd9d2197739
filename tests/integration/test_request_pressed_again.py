"""A coach's request pressed again after it closed (a second click, or the other button) says why it closed,
as the first press did: their own role there, not the learner's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from circles.domain.vocabulary import Role
from circles.errors import RequestLapsed
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.models import Member
from circles.services.partnerships.request_view import RequestView
from circles.services.partnerships.requests import accept_request, decline_request
from tests.factories import NOW
from tests.integration.test_directory import ask, seed

Answer = Callable[[UnitOfWork, str, str, int, datetime], RequestView]


@pytest.mark.parametrize("again", [accept_request, decline_request], ids=["accept", "decline"])
def test_a_coach_no_longer_coaching_is_told_it_is_their_role_on_every_press(
    db: Database, again: Answer
) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    with db.unit_of_work() as uow:  # a cohort file makes them a learner there
        uow.session.get_one(Member, ids.members["U0COACH"]).role = Role.LEARNER
        uow.commit()
    with pytest.raises(RequestLapsed) as first:
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)

    with pytest.raises(RequestLapsed) as second:
        again(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)

    assert first.value.yours
    assert second.value.yours
