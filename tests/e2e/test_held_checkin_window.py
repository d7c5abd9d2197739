"""Through `circles tick --now`: a check-in held for night workers' shift is not missed at the old deadline;
its answer window counts from when it reaches them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.health import CONCERNED
from circles.domain.vocabulary import PartnershipHealthState, Role
from circles.persistence.models import Partnership
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.days import at
from tests.e2e.test_tick import tick

FRIDAY_9 = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)  # the cohort's check-ins go on Fridays at 09:00 UTC
SUNDAY_19 = datetime(2027, 1, 17, 19, 0, tzinfo=UTC)  # their next shift begins
NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()


def seed(app: RunningApp) -> None:
    """Two night workers paired in a cohort whose check-ins go on Fridays, answered within a day."""
    for user in ("U0CAL", "U0NIA"):
        app.standin.add_user(user, tz="UTC")
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.timezone, co.prompt_weekday, co.prompt_local_time = "UTC", 4, time(9)
        co.starts_on, co.checkin_every_weeks = date(2027, 1, 4), 1
        co.health_thresholds = {"answer_within_days": 1, "missed_checkins": 1, "days_without_meeting": 90}
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, "U0CAL", Role.COACH)
        factories.member(uow.session, co, "U0NIA", Role.LEARNER)
        factories.partnership(uow.session, "U0CAL", "U0NIA").started_at = FRIDAY_9 - timedelta(days=7)
        for user in ("U0CAL", "U0NIA"):
            factories.profile(uow.session, ws, user, "UTC").work_pattern = NIGHT_SHIFT
        uow.commit()


def health(app: RunningApp) -> PartnershipHealthState | None:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Partnership.health_state)).one()


def test_a_check_in_held_for_night_workers_is_missed_only_a_day_after_it_reaches_them(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)

    tick(app, at(FRIDAY_9 + timedelta(minutes=5)))
    tick(app, at(FRIDAY_9 + timedelta(days=1, minutes=10)))  # a day after it was planned, not yet sent
    assert health(app) not in CONCERNED

    tick(app, at(SUNDAY_19 + timedelta(minutes=2)))
    assert len(app.standin.calls("chat.postMessage")) >= 2  # both asked as their shift began
    tick(app, at(SUNDAY_19 + timedelta(hours=20)))
    assert health(app) not in CONCERNED

    tick(app, at(SUNDAY_19 + timedelta(days=1, minutes=10)))
    assert health(app) in CONCERNED
