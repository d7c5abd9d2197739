"""Check-ins answered on PostgreSQL while something else changes the same pair at the same moment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles import errors
from circles.domain.checkins import CheckInAnswer
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Partnership
from circles.services.checkins.answers import checkin_to_answer
from tests.databases import postgres, raced
from tests.integration.test_checkins import NOW, answer_as, seed, stored

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own


@pytest.mark.postgres
def test_an_answer_sent_while_the_pair_is_ending_is_refused_as_closed_and_not_stored(
    postgres: Database,
) -> None:
    """Lee answers from their phone as the pair ends on another replica: the answer waits for the ending
    and then says the pair is over, instead of being stored against a pair that no longer runs."""
    lee, _ = seed(postgres)
    with postgres.unit_of_work() as ending:
        ending.session.scalars(select(Partnership)).one().status = PartnershipStatus.ENDED
        refused = raced(postgres, ending, lambda: answer_as(postgres, "U0LEE", lee, CheckInAnswer(rating=2)))
    assert isinstance(refused, errors.CheckInClosed)
    assert stored(postgres, lee).answered_at is None


@pytest.mark.postgres
def test_an_answer_from_two_devices_at_once_is_stored_once(postgres: Database) -> None:
    """The same check-in answered on the phone and the laptop at once: the first answer stays, the second
    is told it was answered already."""
    lee, _ = seed(postgres)
    with postgres.unit_of_work() as phone:
        stored_first = phone.session.get_one(CheckIn, lee)
        stored_first.rating, stored_first.answered_at = 4, stored_first.due_at
        refused = raced(postgres, phone, lambda: answer_as(postgres, "U0LEE", lee, CheckInAnswer(rating=1)))
    assert isinstance(refused, errors.CheckInAlreadyAnswered)
    assert stored(postgres, lee).rating == 4


@pytest.mark.postgres
def test_the_full_form_opens_from_a_transaction_that_only_reads(postgres: Database) -> None:
    """Opening the form holds nothing: it reads the check-in, and PostgreSQL refuses locks there."""
    lee, _ = seed(postgres)
    found = checkin_to_answer(postgres.reading(), "T0001", "U0LEE", lee, NOW)
    assert (found.checkin_id, found.partner_user_id) == (lee, "U0ADA")
