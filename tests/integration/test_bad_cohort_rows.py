"""A row an older version let in (a date or threshold out of range) never stops the others' pass."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.health.recompute import recompute
from circles.services.health.watch import watch
from tests import factories


def test_a_partnership_whose_health_cannot_be_worked_out_is_skipped_by_id_and_the_others_are_watched(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        sound, odd = (factories.cohort(uow.session, ws, slug, slug.upper()) for slug in ("sound", "odd"))
        odd.health_thresholds = {"answer_within_days": 10**9}  # past what a date can hold
        for cohort, prefix in ((sound, "S"), (odd, "O")):
            factories.member(uow.session, cohort, f"U0{prefix}COACH", Role.COACH, flush=False)
            factories.member(uow.session, cohort, f"U0{prefix}LEARN", Role.LEARNER, flush=False)
        kept = factories.partnership(uow.session, "U0SCOACH", "U0SLEARN").id
        skipped = factories.partnership(uow.session, "U0OCOACH", "U0OLEARN").id
        uow.commit()
    with caplog.at_level(logging.WARNING), db.unit_of_work() as uow:
        health = recompute(uow.session, factories.NOW + timedelta(days=30))
        uow.commit()
    assert [h.partnership_id for h in health] == [kept]
    assert f"health skipped partnership {skipped}" in caplog.text
    assert "ODD" not in caplog.text  # ids only: no names
    assert "U0O" not in caplog.text


def test_the_watch_counts_the_partnerships_it_had_to_skip(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        odd = factories.cohort(uow.session, ws, "odd", "ODD")
        odd.health_thresholds = {"answer_within_days": 10**9}
        factories.member(uow.session, odd, "U0OCOACH", Role.COACH)
        factories.member(uow.session, odd, "U0OLEARN", Role.LEARNER)
        factories.partnership(uow.session, "U0OCOACH", "U0OLEARN")
        uow.commit()
    with db.unit_of_work() as uow:
        watched = watch(uow.session, factories.NOW + timedelta(days=30), admins=(), full=True)
        uow.commit()
    assert (watched.recomputed, watched.skipped) == (0, 1)
