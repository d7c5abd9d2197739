"""`circles tick` recomputes only the health that is due; `circles tick --full` every pair, for repairs."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import UTC, datetime

from circles.domain.vocabulary import Role
from tests import factories
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET, RunningApp
from tests.e2e.harness import CIRCLES, ROOT, environment

START = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)


def tick(app: RunningApp, now: str, *extra: str) -> list[str]:
    result = subprocess.run(  # noqa: S603 - our own CLI
        [*CIRCLES, "tick", "--now", now, *extra],
        cwd=ROOT,
        env=environment(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=app.standin.api_url,
            DATABASE_URL=app.settings.database_url,
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


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

    first = tick(app, "2027-01-06T10:00:00Z")
    assert "  partnerships watched: 3" in first
    assert "  health recomputed: 3" in first
    assert "  health recomputed: 0" in tick(app, "2027-01-06T11:00:00Z")
    full = tick(app, "2027-01-06T12:00:00Z", "--full")
    assert "  health recomputed: 3" in full
    assert "  partnerships watched: 3" in full
