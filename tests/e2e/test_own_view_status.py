"""`/circles status` of a coach with many learners, through the real HTTP app and the stand-in: it only
reads, so nobody's check-in or join waits for it."""

from __future__ import annotations

from tests.databases import sqlite_writer_tried
from tests.e2e.conftest import RunningApp
from tests.e2e.test_relationships import app
from tests.relationship_world import COACH

__all__ = ["app"]  # the fixture: a coach with learners in two cohorts


def test_check_ins_and_joins_are_not_held_up_while_someone_reads_their_status(app: RunningApp) -> None:
    """Another connection takes SQLite's write lock at once, while the coach's partners are being read."""
    with sqlite_writer_tried(app.db, during="partnerships") as outcomes:
        app.post(app.signer.slash_command("status", user_id=COACH))
        [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "<@U0L1>" in str(answer.args["blocks"])
    assert outcomes == ["wrote"]


def test_a_facilitator_in_no_cohort_of_their_own_is_pointed_to_the_cohorts_they_run(app: RunningApp) -> None:
    app.standin.add_user("U0FAC")
    app.post(app.signer.slash_command("status", user_id="U0FAC"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    said = answer.args["text"]
    assert "You run 2 cohorts" in said
    assert "Ask your facilitator" not in said
