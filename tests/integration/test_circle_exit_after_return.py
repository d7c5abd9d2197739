"""Someone who left, came back and was seated again in their old circle (a re-match puts them back in
their place) and then leaves again is taken out of that circle's private channel again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MeetingPlace, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, Member
from circles.queries.circles import seat_again
from circles.services.people.membership import join, leave
from tests.factories import NOW
from tests.integration.test_circle_exit import removals, two_rounds


def test_leaving_again_after_being_seated_again_in_the_same_circle_removes_the_person_again(
    db: Database,
) -> None:
    two_rounds(db, MeetingPlace.PRIVATE_CHANNEL)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0ANN", Role.PEER, NOW + timedelta(days=1))
    with db.unit_of_work() as uow:  # the re-match's confirmation seats them in their old circle of round 2
        ann = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0ANN")).one()
        circle = uow.session.scalars(select(Circle).where(Circle.conversation_id == "C0R2")).one()
        seat_again(uow.session, ann.workspace_id, circle.id, ann.id, NOW + timedelta(days=2))
        uow.commit()

    leave(db.unit_of_work(), "T0001", "pgy1", "U0ANN", NOW + timedelta(days=3))

    assert [(channel, user) for channel, user, _ in removals(db)] == [
        ("C0R1", "U0ANN"),  # once: they were not seated there again
        ("C0R2", "U0ANN"),
        ("C0R2", "U0ANN"),  # invited back when seated again, taken out again
    ]
