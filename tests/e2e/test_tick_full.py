"""`circles tick` recomputes only the health that is due; `circles tick --full` every pair, for repairs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from circles.domain.vocabulary import Role
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_tick import tick

START = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)


def lines(app: RunningApp, now: str, *extra: str) -> list[str]:
    return tick(app, now, *extra).splitlines()


def test_a_tick_looks_at_new_pairs_once_and_a_full_tick_at_every_pair(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    with app.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1")
        for n in range(3):
            factories.member(uow.session, co, f"U0COACH{n}", Role.COACH)
            factories.member(uow.session, co, f"U0LEARN{n}", Role.LEARNER)
            factories.partnership(uow.session, f"U0COACH{n}", f"U0LEARN{n}").started_at = START
        uow.commit()

    first = lines(app, "2027-01-06T10:00:00Z")
    assert "  partnerships watched: 3" in first
    assert "  health recomputed: 3" in first
    assert "  health recomputed: 0" in lines(app, "2027-01-06T11:00:00Z")
    full = lines(app, "2027-01-06T12:00:00Z", "--full")
    assert "  health recomputed: 3" in full
    assert "  partnerships watched: 3" in full
