"""`/circles status` of a coach with many learners, through the real HTTP app and the stand-in: it only
reads, so nobody's check-in or join waits for it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import event

from tests import relationship_world
from tests.e2e.conftest import RunningApp
from tests.relationship_world import COACH


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session)
        uow.commit()
    running.standin.add_user(COACH)
    return running


def test_check_ins_and_joins_are_not_held_up_while_someone_reads_their_status(app: RunningApp) -> None:
    """Another connection takes SQLite's write lock at once, while the coach's partners are being read."""
    outcomes: list[str] = []

    def write_elsewhere(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "partnerships" not in statement or outcomes:
            return
        writer = sqlite3.connect(str(app.db.engine.url.database), timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # what a check-in's transaction begins with
            writer.execute("ROLLBACK")
            outcomes.append("wrote")
        except sqlite3.OperationalError as error:
            outcomes.append(str(error))
        finally:
            writer.close()

    event.listen(app.db.engine, "before_cursor_execute", write_elsewhere)
    try:
        app.post(app.signer.slash_command("status", user_id=COACH))
        [answer] = app.standin.wait_for("response_url", timeout=10)
    finally:
        event.remove(app.db.engine, "before_cursor_execute", write_elsewhere)
    assert "<@U0L1>" in str(answer.args["blocks"])
    assert outcomes == ["wrote"]


def test_a_facilitator_in_no_cohort_of_their_own_is_pointed_to_the_cohorts_they_run(app: RunningApp) -> None:
    app.standin.add_user("U0FAC")
    app.post(app.signer.slash_command("status", user_id="U0FAC"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    said = answer.args["text"]
    assert "You run 2 cohorts" in said
    assert "Ask your facilitator" not in said
