"""Allowing an ended pair again names the ending the preview showed: once the pair has been formed again
since, running or ended again, that press is out of date and lifts nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from circles.errors import StalePreview
from circles.persistence.db import Database
from circles.persistence.models import PairOverride
from circles.services.matching.overrides import allow_pair_again
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round
from circles.services.partnerships.changes import end_partnership
from tests import factories
from tests.factories import NOW
from tests.integration.test_ended_pairs import FAC, ids, next_round, partner_of, seeded


def allow(db: Database, pair: tuple[int, int], ending: int, now: datetime) -> RoundPlan:
    return allow_pair_again(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        pair,
        rematch_user_id="U0L1",
        user_id=FAC,
        is_admin=False,
        now=now,
        ending=ending,
    )


def end(db: Database, partnership: int, now: datetime) -> None:
    key = factories.request_key()
    end_partnership(db.unit_of_work(), "T0001", "U0L1", partnership, "", now, request_key=key)


def shown_ending(db: Database, pair: tuple[int, int], now: datetime) -> int:
    """The ending a re-match preview of the learner names for the pair, as its "Allow again" carries it."""
    plan = preview_rematch(db.unit_of_work(), "T0001", "pgy1", "U0L1", user_id=FAC, is_admin=False, now=now)
    return int(plan.plan["apart_endings"][f"{pair[0]}:{pair[1]}"])


def allowed_at(db: Database) -> datetime | None:
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(PairOverride.allowed_at)).one_or_none()


def test_allow_again_for_an_ending_before_the_pair_was_formed_again_lifts_nothing(db: Database) -> None:
    seeded(db)
    first, coach = partner_of(db, "U0L1")
    end(db, first, NOW)
    pair = (coach, ids(db)["U0L1"])
    older = shown_ending(db, pair, NOW)
    assert older == first
    later = NOW + timedelta(hours=1)
    fresh = allow(db, pair, older, later)
    confirm_round(db.unit_of_work(), "T0001", fresh.run_id, user_id=FAC, is_admin=False, now=later)
    again, _ = partner_of(db, "U0L1")

    with pytest.raises(StalePreview) as running:  # formed again: the preview that showed the ending is old
        allow(db, pair, older, NOW + timedelta(hours=2))
    assert running.value.rematch_user_id == "U0L1"
    end(db, again, NOW + timedelta(days=3))
    kept = allowed_at(db)
    with pytest.raises(StalePreview):  # ended again: the older button must not lift the newer ending
        allow(db, pair, older, NOW + timedelta(days=4))
    assert allowed_at(db) == kept
    assert [(k["first"], k["second"]) for k in next_round(db).plan["kept_apart"]] == [pair]

    newer = shown_ending(db, pair, NOW + timedelta(days=4))
    assert newer == again
    allow(db, pair, newer, NOW + timedelta(days=5))  # the newer ending's own button allows it
    assert next_round(db).plan["kept_apart"] == []
