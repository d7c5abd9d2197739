"""Time a partner is away never counts against their partnership: a check-in whose answer window runs into
the absence is not missed, whichever partner it asked, and the pair calls for nobody when the person is back.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from circles.domain.availability.going_away import AwayRequest
from circles.domain.health import CONCERNED
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.availability.away import go_away
from circles.services.health.recompute import PartnershipHealth, recompute
from tests import factories

FRIDAY_9 = datetime(2027, 1, 15, 9, tzinfo=UTC)  # both partners are asked how the partnership goes
SATURDAY = FRIDAY_9 + timedelta(days=1)  # the learner goes away, the coach not having answered yet
BACK_ON = date(2027, 1, 29)


def asked_on_friday(db: Database) -> int:
    """Ada coaches Lee (both in UTC) in a cohort that counts a check-in unanswered after three days as
    missed, and one missed as enough to look at the pair; each is asked on Friday."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        cohort.health_thresholds = {"answer_within_days": 3, "missed_checkins": 1}
        ada = factories.member(uow.session, cohort, "U0ADA", Role.COACH)
        lee = factories.member(uow.session, cohort, "U0LEE")
        for user in ("U0ADA", "U0LEE"):
            factories.profile(uow.session, ws, user, "UTC", flush=False)
        pair = factories.pair(uow.session, ada, lee, started_at=FRIDAY_9 - timedelta(days=7))
        uow.session.add_all([factories.checkin(pair, member.id, FRIDAY_9) for member in (ada, lee)])
        uow.commit()
        return pair.id


def health(db: Database, pair: int, at: datetime) -> PartnershipHealth:
    with db.unit_of_work() as uow:
        [found] = recompute(uow.session, at, partnerships=[pair], record=False)
        return found


def test_the_coachs_check_in_running_into_the_learners_absence_is_not_missed(db: Database) -> None:
    pair = asked_on_friday(db)
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(until=BACK_ON), SATURDAY)

    during = health(db, pair, FRIDAY_9 + timedelta(days=5))
    assert (during.signals.first.missed_in_a_row, during.signals.second.missed_in_a_row) == (0, 0)
    back = health(db, pair, datetime(2027, 1, 29, 12, tzinfo=UTC))
    assert back.signals.first.missed_in_a_row == 0
    assert back.state not in CONCERNED
