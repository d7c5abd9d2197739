"""The coach digest counts a question the guide holds, still answerable, as waiting while the next check-in
is held for their hours: only a newer question already asked replaces it."""

from __future__ import annotations

from circles.persistence.db import Database
from circles.persistence.models import Partnership
from circles.queries.guide_pairs import pair_activity
from tests.integration.test_checkin_answer_window import FRIDAY_9, claim
from tests.integration.test_checkin_replaced_once_asked import SATURDAY_10, night_coach


def test_the_digest_counts_the_question_she_holds_as_waiting_while_the_next_is_held(db: Database) -> None:
    pair, _, _ = night_coach(db)
    assert claim(db, FRIDAY_9) == []
    with db.unit_of_work() as uow:
        coach = uow.session.get_one(Partnership, pair).first_member_id
        [activity] = pair_activity(uow.session, [coach], SATURDAY_10)[coach]
    assert activity.unanswered_checkins == 1
