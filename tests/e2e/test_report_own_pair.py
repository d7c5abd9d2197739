"""`/circles report` for a facilitator who is also one of a pair: nothing of their own pairs reaches them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest

from circles.notes import note_cipher
from circles.persistence.models import Cohort
from tests import factories
from tests import report_world as w
from tests.e2e.conftest import RunningApp
from tests.e2e.test_reports import command, dm_of, five_weeks_ago

COACH = "U0C1"  # the coach of P1, P3 and P5, and a facilitator of the cohort too


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        world = w.build(uow.session, five_weeks_ago(), sealer=note_cipher(running.settings).encrypt)
        cohort = uow.session.get(Cohort, world.cohort_id)
        assert cohort is not None
        factories.facilitator(uow.session, cohort, COACH)
        uow.commit()
    for user in (w.FACILITATOR, w.OTHER_FACILITATOR, *w.PEOPLE):
        running.standin.add_user(user)
    return running


def test_a_facilitator_who_is_a_partner_gets_no_row_or_note_of_their_own_pairs(app: RunningApp) -> None:
    command(app, "report pgy1 individual", COACH, answers=2)
    app.standin.wait_for("files.completeUploadExternal", count=2, timeout=10)
    dm = dm_of(app, COACH)
    chart, rows = app.standin.uploaded_files()
    assert (chart.channels, rows.channels) == ([dm], [dm])
    assert rows.content is not None
    text = rows.content.decode()
    table = list(csv.DictReader(io.StringIO(text)))
    # U0C2 and U0L4's pair too: U0L4 was later the coach's own learner (P5)
    assert [(row["first_user_id"], row["second_user_id"]) for row in table] == [("U0C2", "U0L2")]
    assert COACH not in text
    assert w.SHARED_NOTE not in text  # the learner's note in the coach's own pair
    assert w.REASON_TEXT not in text  # the reason behind their own pair's health
    assert "4 partnerships that you or someone you were paired with are part of are left out" in (
        rows.initial_comment or ""
    )


def test_their_summary_counts_nothing_of_their_own_pairs_and_says_so(app: RunningApp) -> None:
    command(app, "report pgy1", COACH, answers=2)
    app.standin.wait_for("files.completeUploadExternal", timeout=10)
    [posted] = app.standin.calls("chat.postMessage")
    summary = json.dumps(posted.args["blocks"], ensure_ascii=False)
    assert "*Escalations:* 2 opened, 2 taken up, 1 resolved" in summary  # P1's escalation is not counted
    assert "4 partnerships that you or someone you were paired with are part of are left out" in summary


def test_another_facilitator_still_gets_every_pair(app: RunningApp) -> None:
    command(app, "report pgy1 individual", w.FACILITATOR, answers=2)
    app.standin.wait_for("files.completeUploadExternal", count=2, timeout=10)
    [posted] = app.standin.calls("chat.postMessage")
    assert "left out" not in json.dumps(posted.args["blocks"])
    _, rows = app.standin.uploaded_files()
    assert rows.content is not None
    assert len(list(csv.DictReader(io.StringIO(rows.content.decode())))) == 5
