"""No round or re-match once a cohort's last day is over, on SQLite and PostgreSQL: its pairs would be
ended by the next tick and kept apart for good, while their channels still went out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.views.errors import friendly_message
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import CohortOver
from circles.persistence.db import Database
from circles.persistence.models import Cohort, MatchRun
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import confirm_round, preview_round
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"


def seeded(db: Database, ends_on: date) -> None:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        co.pairing_mode, co.circle_min_size, co.circle_max_size = PairingMode.PEER, 3, 3
        co.starts_on, co.ends_on = NOW.date() - timedelta(days=120), ends_on
        factories.facilitator(uow.session, co, FAC)
        for n in range(6):
            factories.member(uow.session, co, f"U0P{n:02d}", Role.PEER, flush=False)
        uow.commit()


def end_on(db: Database, day: date) -> None:
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort)).one().ends_on = day
        uow.commit()


def test_a_round_or_a_rematch_after_the_last_day_is_refused_and_nothing_is_stored(db: Database) -> None:
    seeded(db, NOW.date() - timedelta(days=1))
    with pytest.raises(CohortOver) as refused:
        preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    assert "no new round or re-match" in friendly_message(refused.value)
    with pytest.raises(CohortOver):
        preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0P01", user_id=FAC, is_admin=False, now=NOW)
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(MatchRun)).all() == []


def test_a_cohort_ending_today_still_matches_but_its_preview_is_not_confirmed_after_the_end(
    db: Database,
) -> None:
    seeded(db, NOW.date())
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)
    assert len(plan.plan["circles"]) == 2
    with pytest.raises(CohortOver):  # previewed on the last day, confirmed the day after
        confirm_round(
            db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW + timedelta(days=1)
        )
    end_on(db, NOW.date() + timedelta(days=30))
    done = confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FAC, is_admin=False, now=NOW)
    assert done.status is RunStatus.CONFIRMED
