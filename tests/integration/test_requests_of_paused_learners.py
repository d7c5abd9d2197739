"""A coach's digest counts only the requests they can accept now: a learner who paused is not looking
meanwhile (accepting would close the request, see test_directory), so their request is not counted, and
counts again once they are back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from circles.domain.digests import DigestSection
from circles.domain.nudges import NudgeKind
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Profile
from circles.services.nudges.digests import digest_now
from circles.services.partnerships.requests import request_guide
from circles.services.people.membership import pause, resume
from tests import factories

NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)
COACH = "U0COACH"


@pytest.fixture
def asked(db: Database) -> dict[str, int]:
    """Two learners, each with a request waiting for the same coach; their request ids."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1")
        co.pairing_mode = PairingMode.COACH_LEARNER  # its learners may ask its coaches
        factories.member(uow.session, co, COACH, Role.COACH)
        uow.session.add(Profile(workspace_id=ws.id, slack_user_id=COACH, capacity=3, updated_at=NOW))
        for learner in ("U0ANN", "U0BEN"):
            factories.member(uow.session, co, learner, flush=False)
        uow.commit()
    return {
        learner: request_guide(db.unit_of_work(), "T0001", learner, "pgy1", COACH, NOW).request_id
        for learner in ("U0ANN", "U0BEN")
    }


def waiting(db: Database, at: datetime) -> int:
    sections: list[DigestSection] = digest_now(db.unit_of_work(), "T0001", COACH, at)
    return sum(n.count for s in sections for n in s.nudges if n.kind is NudgeKind.REQUEST_WAITING)


def test_a_paused_learners_request_is_not_counted_until_they_are_back(
    db: Database, asked: dict[str, int]
) -> None:
    assert waiting(db, NOW) == 2
    pause(db.unit_of_work(), "T0001", "U0ANN", None, NOW + timedelta(hours=1))

    assert waiting(db, NOW + timedelta(hours=2)) == 1  # pressing Accept now would only close it

    resume(db.unit_of_work(), "T0001", "U0ANN", NOW + timedelta(hours=3))
    assert waiting(db, NOW + timedelta(hours=4)) == 2


def test_a_dated_pause_that_ran_out_counts_the_request_again(db: Database, asked: dict[str, int]) -> None:
    pause(db.unit_of_work(), "T0001", "U0BEN", 1, NOW + timedelta(hours=1))

    assert waiting(db, NOW + timedelta(days=3)) == 1
    assert waiting(db, NOW + timedelta(weeks=1, hours=2)) == 2
